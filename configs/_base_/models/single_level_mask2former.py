# ViSFT's segmentation head: Mask2Former on the stride-14 map; pixel decoder with 6 deformable-attention encoder
# layers (width 256, FFN 512, one level), 9 decoder layers (256, FFN 1024), 100 queries.
_base_ = ['./eva_vit_g.py']
num_classes = 80
model = dict(
    type='SingleLevelMask2Former',
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=_base_.imagenet_mean,  # the reference's ImageNet statistics, not CLIP's
        std=_base_.imagenet_std,
        bgr_to_rgb=True,
        pad_size_divisor=14,
        pad_mask=True,
        mask_pad_value=0,
        pad_seg=False),
    backbone=dict(out_type='featmap'),
    panoptic_head=dict(
        type='mmdet.Mask2FormerHead',
        in_channels=[1408],
        strides=[14],
        feat_channels=256,
        out_channels=256,
        num_things_classes=num_classes,
        num_stuff_classes=0,
        num_queries=100,
        num_transformer_feat_level=1,
        pixel_decoder=dict(
            type='SingleLevelPixelDecoder',
            mask_upsample_factor=1,  # paper: masks at stride 14; 2 or 4 learn an upsampling to stride 7 / 3.5
            num_outs=1,
            norm_cfg=dict(type='GN', num_groups=32),
            act_cfg=dict(type='ReLU'),
            encoder=dict(
                num_layers=6,
                layer_cfg=dict(
                    self_attn_cfg=dict(embed_dims=256, num_heads=8, num_levels=1, num_points=4, im2col_step=64,
                                       dropout=0.0, batch_first=True, norm_cfg=None, init_cfg=None),
                    ffn_cfg=dict(embed_dims=256, feedforward_channels=512, num_fcs=2, ffn_drop=0.0,
                                 act_cfg=dict(type='ReLU', inplace=True)))),
            positional_encoding=dict(num_feats=128, normalize=True)),
        enforce_decoder_input_project=False,
        positional_encoding=dict(num_feats=128, normalize=True),
        transformer_decoder=dict(
            return_intermediate=True,
            num_layers=9,
            layer_cfg=dict(
                self_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.0, batch_first=True),
                cross_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.0, batch_first=True),
                ffn_cfg=dict(embed_dims=256, feedforward_channels=1024, num_fcs=2, ffn_drop=0.0,
                             act_cfg=dict(type='ReLU', inplace=True))),
            init_cfg=None),
        loss_cls=dict(type='mmdet.CrossEntropyLoss', use_sigmoid=False, loss_weight=2.0, reduction='mean',
                      class_weight=[1.0] * num_classes + [0.1]),
        loss_mask=dict(type='mmdet.CrossEntropyLoss', use_sigmoid=True, reduction='mean', loss_weight=5.0),
        loss_dice=dict(type='mmdet.DiceLoss', use_sigmoid=True, activate=True, reduction='mean', naive_dice=True,
                       eps=1.0, loss_weight=5.0)),
    panoptic_fusion_head=dict(
        type='mmdet.MaskFormerFusionHead',
        num_things_classes=num_classes,
        num_stuff_classes=0,
        loss_panoptic=None,
        init_cfg=None),
    train_cfg=dict(
        num_points=12544,
        oversample_ratio=3.0,
        importance_sample_ratio=0.75,
        assigner=dict(
            type='mmdet.HungarianAssigner',
            match_costs=[
                dict(type='mmdet.ClassificationCost', weight=2.0),
                dict(type='mmdet.CrossEntropyLossCost', weight=5.0, use_sigmoid=True),
                dict(type='mmdet.DiceCost', weight=5.0, pred_act=True, eps=1.0)
            ]),
        sampler=dict(type='mmdet.MaskPseudoSampler')),
    test_cfg=dict(panoptic_on=False, semantic_on=False, instance_on=True, max_per_image=100, iou_thr=0.8,
                  filter_low_score=True))
