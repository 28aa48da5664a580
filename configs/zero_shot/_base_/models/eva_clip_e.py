# EVA02-CLIP-E/14-plus (the paper's E model): EVAViT eva-e + EVA-CLIP's visual head, text tower 1280 x 32 layers.
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='EVAViT', arch='eva-e', frozen=True, out_type='cls_token',
                  # the EVA-CLIP file: the vision trunk (+ --lora) here; ZeroShotCLIP reads the head, text tower and
                  # logit_scale from the same file
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint='checkpoints/EVA02_CLIP_E_psz14_plus_s9B.pt')),
    text_model='EVA02-E-14-plus',  # open_clip's model config (text tower + tokenizer), built offline
    # OpenAI CLIP statistics (EVA-CLIP's), images arrive BGR from LoadImageFromFile
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=[122.770938, 116.7460125, 104.09373615],
                           std=[68.5005327, 66.6321579, 70.32316305], to_rgb=True))
