# OpenAI CLIP ViT-L/14 for zero-shot classification / retrieval: CLIPViT openai-l (its pooled feature) + open_clip's
# projection, text tower and tokenizer of 'ViT-L-14-quickgelu', all read from one open_clip file
# (open_clip's ViT-L-14 'openai').
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='CLIPViT', arch='openai-l', frozen=True, out_type='pooled',
                  init_cfg=dict(type='EVAPretrained', lora=None, checkpoint=_base_.openai_l_checkpoint)),
    text_model='ViT-L-14-quickgelu',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True))
