# The values several bases share, written once.  Inherited only by the model bases (models/eva_vit_g.py,
# ocr_vitstr_probe.py, blip2_*.py, zero_shot_*.py) and benchmarks/eva_*.py: a leaf reaches them through its model
# base as `_base_.clip_mean` (or `{{_base_.clip_mean}}`).  Never add this file to a dataset / schedule / runtime
# base: two sibling bases that both inherit it make mmengine refuse the duplicate keys.
# OpenAI CLIP's image statistics (EVA-CLIP's too), 0-255 RGB.
clip_mean = [122.770938, 116.7460125, 104.09373615]
clip_std = [68.5005327, 66.6321579, 70.32316305]
# ImageNet's, the reference code's setting for the stage-1 heads.
imagenet_mean = [123.675, 116.28, 103.53]
imagenet_std = [58.395, 57.12, 57.375]
# The EVA-CLIP files (any layout: EVA-CLIP .pt, open_clip, timm, LAVIS); the vision trunk comes from them, and for
# zero-shot also the head, text tower and logit scale.
eva_g_checkpoint = 'checkpoints/EVA01_CLIP_g_14_psz14_s11B.pt'  # EVA01-CLIP-g/14
eva_e_checkpoint = 'checkpoints/EVA02_CLIP_E_psz14_plus_s9B.pt'  # EVA02-CLIP-E/14-plus (the paper's E)
