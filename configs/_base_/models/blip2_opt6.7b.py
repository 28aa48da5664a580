# BLIP-2 ViT-g OPT-6.7B: blip2_opt2.7b.py with the larger language model (hidden size 4096).
_base_ = ['./blip2_opt2.7b.py']
model = dict(
    init_cfg=dict(checkpoint='checkpoints/blip2_pretrained_opt6.7b_mmpretrain.pth'),
    tokenizer=dict(name_or_path='checkpoints/opt-6.7b'),
    text_backbone=dict(name_or_path='checkpoints/opt-6.7b'),
    vision_neck=dict(num_classes=4096))
