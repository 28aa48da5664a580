# ViSFT's detection head: DETR on the stride-14 map; encoder width 128, decoder width 256, 6 + 6 layers, 8 heads,
# FFN 1024, 100 queries, sine positions, auxiliary losses.  mmdet supplies every part but the 128 -> 256 link.
_base_ = ['./eva_vit_g.py']
num_classes = 80
model = dict(
    type='SingleLevelDETR',
    num_queries=100,
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=_base_.imagenet_mean,  # the reference's ImageNet statistics, not CLIP's
        std=_base_.imagenet_std,
        bgr_to_rgb=True,
        pad_size_divisor=14),
    backbone=dict(out_type='featmap'),
    neck=dict(type='mmdet.ChannelMapper', in_channels=[1408], kernel_size=1, out_channels=128, act_cfg=None,
              norm_cfg=None, num_outs=1),
    encoder=dict(
        num_layers=6,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=128, num_heads=8, dropout=0.1, batch_first=True),
            ffn_cfg=dict(embed_dims=128, feedforward_channels=1024, num_fcs=2, ffn_drop=0.1,
                         act_cfg=dict(type='ReLU', inplace=True)))),
    decoder=dict(
        num_layers=6,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.1, batch_first=True),
            cross_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.1, batch_first=True),
            ffn_cfg=dict(embed_dims=256, feedforward_channels=1024, num_fcs=2, ffn_drop=0.1,
                         act_cfg=dict(type='ReLU', inplace=True))),
        return_intermediate=True),  # auxiliary losses on every decoder layer
    positional_encoding=dict(normalize=True),  # num_feats follows each width
    bbox_head=dict(
        type='mmdet.DETRHead',
        num_classes=num_classes,
        embed_dims=256,
        loss_cls=dict(type='mmdet.CrossEntropyLoss', bg_cls_weight=0.1, use_sigmoid=False, loss_weight=1.0,
                      class_weight=1.0),
        loss_bbox=dict(type='mmdet.L1Loss', loss_weight=5.0),
        loss_iou=dict(type='mmdet.GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(
            type='mmdet.HungarianAssigner',
            match_costs=[
                dict(type='mmdet.ClassificationCost', weight=1.0),
                dict(type='mmdet.BBoxL1Cost', weight=5.0, box_format='xywh'),
                dict(type='mmdet.IoUCost', iou_mode='giou', weight=2.0)
            ])),
    test_cfg=dict(max_per_img=100))
