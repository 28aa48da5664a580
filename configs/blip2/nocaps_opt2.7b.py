# Table 8: NoCaps val captioning (CIDEr overall and per domain) with BLIP-2 ViT-g OPT-2.7B (LAVIS's COCO
# captioning model caption_coco_opt2.7b) and the ViSFT vision tower.
_base_ = ['../_base_/models/blip2_opt2.7b.py', '../_base_/datasets/blip2/nocaps_val.py', '../_base_/eval_runtime.py']
model = dict(
    _delete_=True,
    type='visft_mm.Blip2LAVISCaption',
    _scope_='mmpretrain',
    init_cfg=dict(type='visft_mm.SafePretrained', checkpoint='checkpoints/blip2_caption_coco_opt2.7b_mmpretrain.pth'),
    data_preprocessor={{_base_.model.data_preprocessor}},
    tokenizer={{_base_.model.tokenizer}},
    vision_backbone={{_base_.model.vision_backbone}},
    text_backbone={{_base_.model.text_backbone}},
    multimodal_backbone={{_base_.model.multimodal_backbone}},
    vision_neck={{_base_.model.vision_neck}},
    # LAVIS caption_coco_opt2.7b: prompt "a photo of"; projects/blip2/eval/caption_coco_opt2.7b_eval.yaml:
    # num_beams 5, max_len 30, min_len 8 (mmpretrain's Blip2Caption: min_length 1)
    prompt='a photo of',
    max_txt_len=32,
    generation_cfg=dict(num_beams=5, max_new_tokens=30, min_new_tokens=8, length_penalty=1.0,
                        repetition_penalty=1.0))
test_evaluator = dict(prefix='blip2-opt2.7b/nocaps')  # keys .../CIDEr, .../in-domain/CIDEr, ...
