# Stage 1, captioning on the frozen EVA02-CLIP-L/14 (the LSTM reads the backbone's width itself).
_base_ = ['./stage1_caption_eva_g.py']
model = dict(
    backbone=dict(type='CLIPViT', arch='eva02-l',
                  init_cfg=dict(checkpoint='checkpoints/EVA02-L-14_merged2b_s4b_b131k.bin')))
