# EVA02-CLIP-L/14 for zero-shot classification / retrieval: CLIPViT eva02-l (its pooled feature) + open_clip's
# projection, text tower and tokenizer of 'EVA02-L-14', all read from one open_clip file
# (open_clip's EVA02-L-14 'merged2b_s4b_b131k').
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='CLIPViT', arch='eva02-l', frozen=True, out_type='pooled',
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint='checkpoints/EVA02-L-14_merged2b_s4b_b131k.bin')),
    text_model='EVA02-L-14',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=[122.770938, 116.7460125, 104.09373615],
                           std=[68.5005327, 66.6321579, 70.32316305], to_rgb=True))
