# EVA02-CLIP-E/14-plus (the paper's E model): EVAViT eva-e + EVA-CLIP's visual head, text tower 1280 x 32 layers.
_base_ = ['../constants.py']
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='eva-e', frozen=True, out_type='cls_token',
                  # the EVA-CLIP file: the vision trunk (+ --lora) here; ZeroShotCLIP reads the head, text tower and
                  # logit_scale from the same file
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint=_base_.eva_e_checkpoint)),
    text_model='EVA02-E-14-plus',  # open_clip's model config (text tower + tokenizer), built offline
    # OpenAI CLIP statistics (EVA-CLIP's), images arrive BGR from LoadImageFromFile
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True))
