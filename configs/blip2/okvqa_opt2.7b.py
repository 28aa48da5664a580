# Table 7: zero-shot OK-VQA val with BLIP-2 ViT-g OPT-2.7B and the ViSFT vision tower.
_base_ = ['../_base_/models/blip2_opt2.7b.py', '../_base_/datasets/blip2/okvqa_val.py', '../_base_/eval_runtime.py']
test_evaluator = dict(prefix='blip2-opt2.7b/OKVQA')  # key blip2-opt2.7b/OKVQA/acc
