"""GQA (official and LAVIS layouts), NoCaps one-sample-per-image and its per-domain metric."""
import json

import pytest

from visft_mm.datasets import GQABalanced, NoCapsImages
from visft_mm.evaluation import NoCapsCaptionMetric
from visft_mm.evaluation.caption_metric import score_captions


def test_gqa_reads_official_and_lavis_layouts(tmp_path):
    official = {'201': dict(imageId='n1', question='Is it red?', answer='no', semantic=[]),
                '202': dict(imageId='n2', question='What is it?', answer='table')}
    lavis = [dict(image='n1.jpg', question='Is it red?', answer='no', question_id='201')]
    (tmp_path / 'official.json').write_text(json.dumps(official))
    (tmp_path / 'lavis.json').write_text(json.dumps(lavis))
    (tmp_path / 'broken.json').write_text(json.dumps([dict(image='n1.jpg', question='?')]))
    data = GQABalanced(data_root=str(tmp_path), data_prefix='images', ann_file='official.json')
    infos = [data.get_data_info(i) for i in range(len(data))]
    assert [(d['question_id'], d['gt_answer'], d['img_path']) for d in infos] == [
        ('201', 'no', str(tmp_path / 'images' / 'n1.jpg')), ('202', 'table', str(tmp_path / 'images' / 'n2.jpg'))]
    data = GQABalanced(data_root=str(tmp_path), data_prefix='images', ann_file='lavis.json')
    assert data.get_data_info(0)['question'] == 'Is it red?'
    with pytest.raises(KeyError, match="broken.json.*answer"):
        GQABalanced(data_root=str(tmp_path), data_prefix='images', ann_file='broken.json')


def test_nocaps_one_sample_per_image_and_per_domain_cider(tiny_blip2_data, monkeypatch):
    monkeypatch.setattr('visft_mm.evaluation.caption_metric.java_available', lambda: False)
    ann_file = tiny_blip2_data['nocaps']
    data = NoCapsImages(ann_file=ann_file, data_prefix=dict(img_path='imgs'))
    assert [(d['image_id'], d['domain']) for d in (data.get_data_info(i) for i in range(len(data)))] == [
        (0, 'in-domain'), (1, 'near-domain'), (2, 'out-domain')]  # 3 images, not 30 references

    predictions = {0: 'a dog on the street', 1: 'a cat on a table', 2: 'a man riding a bike'}
    metric = NoCapsCaptionMetric(ann_file=ann_file)
    metric.process(None, [dict(image_id=k, pred_caption=v) for k, v in predictions.items()])
    scores = metric.evaluate(3)
    data = json.load(open(ann_file))
    references = {i['id']: [a['caption'] for a in data['annotations'] if a['image_id'] == i['id']]
                  for i in data['images']}
    overall = score_captions(references, predictions, use_ptb=False, with_meteor=False)
    assert scores['nocaps/CIDEr'] == pytest.approx(100 * overall['CIDEr'])
    for image_id, domain in enumerate(('in-domain', 'near-domain', 'out-domain')):
        alone = score_captions(references, {image_id: predictions[image_id]}, use_ptb=False, with_meteor=False)
        assert scores[f'nocaps/{domain}/CIDEr'] == pytest.approx(100 * alone['CIDEr'])

    metric.process(None, [dict(image_id=0, pred_caption='x'), dict(image_id=0, pred_caption='y')])
    with pytest.raises(ValueError, match='more than once'):
        metric.evaluate(2)


@pytest.mark.parametrize('damage, message', [
    ('question without annotation', r'1 question\(s\) without an annotation \(e.g. \[1003\]\), 0 annotation'),
    ('annotation without question', r'0 question\(s\) without an annotation \(e.g. \[\]\), 1 annotation\(s\) '
                                    r'without a question \(e.g. \[1003\]\)'),
    ('other order', r'v2_mscoco_val2014_annotations.json is not in the order of .*questions.json \(entry 0: '
                    r'question 1000, annotation 1003\)'),
])
def test_vqa_questions_and_annotations_must_pair_by_id(tmp_path, damage, message):
    from visft_mm.datasets import StrictCOCOVQA
    from visft_mm.testing.tiny_blip2 import write_tiny_vqa_data
    files = write_tiny_vqa_data(str(tmp_path))
    questions, annotations = (json.loads(open(files[k]).read()) for k in ('questions', 'annotations'))
    build = dict(data_root=str(tmp_path), data_prefix='coco/val2014', question_file=files['questions'],
                 ann_file=files['annotations'])
    assert len(StrictCOCOVQA(**build)) == 4  # the intact pair reads (mmpretrain's reader underneath)
    if damage == 'question without annotation':
        annotations['annotations'].pop()
    elif damage == 'annotation without question':
        questions['questions'].pop()
    else:
        annotations['annotations'].reverse()
    for key, data in (('questions', questions), ('annotations', annotations)):
        with open(files[key], 'w') as f:
            json.dump(data, f)
    with pytest.raises(ValueError, match=message):
        StrictCOCOVQA(**build)
