# VQAv2 val (214k questions on COCO val2014) from the official question / annotation files.
# Preprocessing as LAVIS: 224 px bicubic, questions through its "blip_question" cleaning.
vqa_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(224, 224), interpolation='bicubic', backend='pillow'),
    dict(type='CleanCaption', keys=['question'], remove_chars='.!"()*#:;~', remove_dup_space=False),
    dict(type='PackInputs', algorithm_keys=['question', 'gt_answer', 'gt_answer_weight'],
         meta_keys=['question_id', 'image_id']),
]
test_dataloader = dict(
    batch_size=64,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    collate_fn=dict(type='default_collate'),  # mmpretrain's preprocessor wants a batched tensor
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='visft_mm.StrictCOCOVQA',  # mmpretrain's COCOVQA, question / annotation ids checked
        _scope_='mmpretrain',
        data_root='data',
        data_prefix='coco/val2014',
        question_file='vqav2/v2_OpenEnded_mscoco_val2014_questions.json',
        ann_file='vqav2/v2_mscoco_val2014_annotations.json',
        pipeline=vqa_test_pipeline))
# Scored as LAVIS scores BLIP-2 (Table 7): the pre-2021 official vqaEval.py that LAVIS ships (protocol 'lavis';
# 'official-2021' is the current script, see visft_mm/evaluation/vqa_metric.py).
test_evaluator = dict(type='VQAOfficialAccuracy', ann_file='data/vqav2/v2_mscoco_val2014_annotations.json',
                      protocol='lavis', prefix='VQAv2')
test_cfg = dict(type='TestLoop')
