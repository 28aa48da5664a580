# BLIP-2 ViT-g OPT-2.7B (mmpretrain's Blip2VQA / Blip2Caption) with the ViSFT vision tower.
# LAVIS's BLIP-2 builds EVA-ViT-g with depth=39 and no final norm (lavis/models/eva_vit.py, create_eva_vit_g):
# the Q-Former reads the output of block 39 of 40, i.e. EVAViT's out_indices=-2 (index 38).  mmpretrain's own
# configs build a 39-block BEiTViT with out_indices=-2, i.e. block 38's output: not that.
_base_ = ['../constants.py']
vision_tower = dict(
    type='visft_mm.EVAViT',
    arch='eva-g',
    frozen=True,
    out_type='raw',
    out_indices=-2,
    final_norm=False,
    init_cfg=dict(type='visft_mm.EVAPretrained', checkpoint=_base_.eva_g_checkpoint, lora=None))
model = dict(
    type='visft_mm.Blip2LAVISVQA',
    _scope_='mmpretrain',  # mmpretrain's parts build in its registry scope
    # Q-Former, query tokens, ln_vision, opt_proj of LAVIS's blip2_pretrained_opt2.7b.pth, converted by
    # tools/model_converters/blip2_lavis_to_mmpretrain.py (without the LAVIS ViT: the vision tower is EVAViT's)
    init_cfg=dict(type='visft_mm.SafePretrained', checkpoint='checkpoints/blip2_pretrained_opt2.7b_mmpretrain.pth'),
    data_preprocessor=dict(type='MultiModalDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True),
    tokenizer=dict(type='AutoTokenizer', name_or_path='checkpoints/opt-2.7b', use_fast=False),
    vision_backbone=vision_tower,
    text_backbone=dict(type='OPTForCausalLM', name_or_path='checkpoints/opt-2.7b'),
    # only config.json of bert-base-uncased is read (the OPT models drop the Q-Former's word embeddings)
    multimodal_backbone=dict(type='Qformer', model_style='checkpoints/bert-base-uncased', vision_model_width=1408,
                             add_cross_attention=True, cross_attention_freq=2, num_query_token=32),
    vision_neck=dict(type='LinearClsHead', in_channels=768, num_classes=2560),  # opt_proj
    # LAVIS zero-shot VQA (projects/blip2/eval/vqav2_zeroshot_opt_eval.yaml, Blip2OPT.predict_answers)
    prompt='Question: {} Short answer:',
    max_prompt_len=32,
    generation_cfg=dict(num_beams=5, max_new_tokens=10, min_new_tokens=1, length_penalty=0.0))
