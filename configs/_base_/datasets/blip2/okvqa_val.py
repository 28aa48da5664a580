# OK-VQA val (5046 questions on COCO val2014) from the official files, scored with the VQA evaluation as LAVIS
# does (LAVIS's OPT models do not lemmatise answers: apply_lemmatizer is off).
_base_ = ['./vqav2_val.py']
test_dataloader = dict(
    dataset=dict(question_file='okvqa/OpenEnded_mscoco_val2014_questions.json',
                 ann_file='okvqa/mscoco_val2014_annotations.json'))
test_evaluator = dict(ann_file='data/okvqa/mscoco_val2014_annotations.json', prefix='OKVQA')
