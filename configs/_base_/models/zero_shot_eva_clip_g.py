# EVA01-CLIP-g/14: EVAViT eva-g + EVA-CLIP's visual head, text tower 768 x 12 layers.
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='eva-g', frozen=True, out_type='cls_token',
                  # the EVA-CLIP file: the vision trunk (+ --lora) here; ZeroShotCLIP reads the head, text tower and
                  # logit_scale from the same file
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint=_base_.eva_g_checkpoint)),
    text_model='EVA01-g-14',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True))
