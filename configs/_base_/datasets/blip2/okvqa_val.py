# OK-VQA val (5046 questions on COCO val2014) from the official files, scored as LAVIS scores BLIP-2: the pre-2021
# vqaEval.py (protocol 'lavis', from vqav2_val.py) on lemmatised predictions (LAVIS's only BLIP-2 OK-VQA eval config,
# okvqa_zeroshot_flant5xl_eval.yaml, sets apply_lemmatizer: True; its spaCy model is replaced by lemminflect, see
# visft_mm/evaluation/answer_lemmatizer.py for what differs).
_base_ = ['./vqav2_val.py']
test_dataloader = dict(
    dataset=dict(question_file='okvqa/OpenEnded_mscoco_val2014_questions.json',
                 ann_file='okvqa/mscoco_val2014_annotations.json'))
test_evaluator = dict(ann_file='data/okvqa/mscoco_val2014_annotations.json', lemmatize_predictions=True,
                      prefix='OKVQA')
