# Stage 1, captioning on the frozen SigLIP So400m/14 (the LSTM reads the backbone's width itself).
_base_ = ['./stage1_caption_eva_g.py']
model = dict(
    data_preprocessor=dict(mean=_base_.siglip_mean, std=_base_.siglip_std),  # SigLIP's statistics
    backbone=dict(type='CLIPViT', arch='siglip-so400m', init_cfg=dict(checkpoint=_base_.siglip_so400m_checkpoint)))
