# EVA02-CLIP-L/14 for zero-shot classification / retrieval: CLIPViT eva02-l (its pooled feature) + open_clip's
# projection, text tower and tokenizer of 'EVA02-L-14', all read from one open_clip file
# (open_clip's EVA02-L-14 'merged2b_s4b_b131k').
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='CLIPViT', arch='eva02-l', frozen=True, out_type='pooled',
                  init_cfg=dict(type='EVAPretrained', lora=None, checkpoint=_base_.eva02_l_checkpoint)),
    text_model='EVA02-L-14',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True))
