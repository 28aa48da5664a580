# Stage 1, captioning on the frozen SigLIP So400m/14 (the LSTM reads the backbone's width itself).
_base_ = ['./stage1_caption_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m',
                  init_cfg=dict(checkpoint='checkpoints/ViT-SO400M-14-SigLIP_webli.bin')))
