# OpenAI CLIP ViT-L/14 for zero-shot classification / retrieval: CLIPViT openai-l (its pooled feature) + open_clip's
# projection, text tower and tokenizer of 'ViT-L-14-quickgelu', all read from one open_clip file
# (open_clip's ViT-L-14 'openai').
model = dict(
    type='ZeroShotCLIP',
    backbone=dict(type='CLIPViT', arch='openai-l', frozen=True, out_type='pooled',
                  init_cfg=dict(type='EVAPretrained', lora=None,
                                checkpoint='checkpoints/ViT-L-14_openai.bin')),
    text_model='ViT-L-14-quickgelu',
    data_preprocessor=dict(type='mmpretrain.ClsDataPreprocessor', mean=[122.770938, 116.7460125, 104.09373615],
                           std=[68.5005327, 66.6321579, 70.32316305], to_rgb=True))
