# Table 7: zero-shot VQAv2 val with BLIP-2 ViT-g OPT-6.7B and the ViSFT vision tower.
#   python tools/test.py configs/blip2/vqav2_opt6.7b.py --lora work_dirs/stage2_joint_eva_g/iter_5000.pth
_base_ = ['../_base_/models/blip2_opt6.7b.py', '../_base_/datasets/blip2/vqav2_val.py', '../_base_/eval_runtime.py']
test_evaluator = dict(prefix='blip2-opt6.7b/VQAv2')  # key blip2-opt6.7b/VQAv2/acc
