# Table 7: zero-shot GQA test-dev balanced with BLIP-2 ViT-g OPT-6.7B and the ViSFT vision tower.
_base_ = ['../_base_/models/blip2_opt6.7b.py', '../_base_/datasets/blip2/gqa_testdev.py', '../_base_/eval_runtime.py']
test_evaluator = dict(prefix='blip2-opt6.7b/GQA')  # key blip2-opt6.7b/GQA/acc
