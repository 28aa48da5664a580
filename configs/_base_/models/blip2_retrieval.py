# BLIP-2 ViT-g Q-Former retrieval (mmpretrain's Blip2Retrieval) with the ViSFT vision tower (block 39 of 40, as
# LAVIS: see blip2_opt2.7b.py).
_base_ = ['../constants.py']
model = dict(
    type='visft_mm.Blip2LAVISRetrieval',
    _scope_='mmpretrain',
    # LAVIS's blip2_finetune_coco.pth (model_type coco, used for COCO and zero-shot Flickr30K), converted
    init_cfg=dict(type='visft_mm.SafePretrained', checkpoint='checkpoints/blip2_finetune_coco_mmpretrain.pth'),
    data_preprocessor=dict(type='MultiModalDataPreprocessor', mean=_base_.clip_mean,
                           std=_base_.clip_std, to_rgb=True),
    tokenizer=dict(type='Blip2Tokenizer', name_or_path='checkpoints/bert-base-uncased'),
    vision_backbone=dict(
        type='visft_mm.EVAViT',
        arch='eva-g',
        frozen=True,
        out_type='raw',
        out_indices=-2,
        final_norm=False,
        init_cfg=dict(type='visft_mm.EVAPretrained', checkpoint=_base_.eva_g_checkpoint,
                      lora=None)),
    multimodal_backbone=dict(type='Qformer', model_style='checkpoints/bert-base-uncased', vision_model_width=1408,
                             add_cross_attention=True, cross_attention_freq=2, num_query_token=32),
    vision_neck=dict(type='LinearClsHead', in_channels=768, num_classes=256),  # vision_proj
    text_neck=dict(type='LinearClsHead', in_channels=768, num_classes=256),  # text_proj
    multimodal_head=dict(type='ITMHead', hidden_size=768, with_pooler=False),  # itm_head
    topk=128,  # LAVIS k_test
    max_txt_len=35,
)
