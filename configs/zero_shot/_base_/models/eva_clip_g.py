# EVA01-CLIP-g/14: EVAViT eva-g + EVA-CLIP's visual head, text tower 768 x 12 layers.
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='eva-g', frozen=True, out_type='cls_token',
                  # the EVA-CLIP file: the vision trunk (+ --lora) here; ZeroShotCLIP reads the head, text tower and
                  # logit_scale from the same file
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint='checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt')),
    text_model='EVA01-g-14',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=[122.770938, 116.7460125, 104.09373615],
                           std=[68.5005327, 66.6321579, 70.32316305], to_rgb=True))
