# ViSFT's pose head (Table 12, "+ pose"): mmpose's top-down estimator with ViTPose's simple decoder on the
# single-scale ViT feature (a x4 bilinear upsampling + ReLU, then one 3x3 conv to 17 heatmaps; no deconvolutions),
# UDP heatmaps, MSE loss.  EVA's patch 14 with ViTPose's 4:3 crop: 168x224 input = a 12x16 token grid (the EVAViT
# interpolates its 224-px position embedding to it), heatmaps 48x64.  Flip test is off: in stage 2 the head reads
# the shared backbone's map, and a flipped feature map is not the map of a flipped image.
_base_ = ['./eva_vit_g.py']
model = dict(
    type='mmpose.TopdownPoseEstimator',
    data_preprocessor=dict(type='mmpose.PoseDataPreprocessor', mean=_base_.imagenet_mean, std=_base_.imagenet_std,
                           bgr_to_rgb=True),  # ViTPose's ImageNet statistics, as the other heads
    backbone=dict(out_type='featmap'),
    neck=dict(type='mmpose.FeatureMapProcessor', scale_factor=4.0, apply_relu=True),
    head=dict(
        type='mmpose.HeatmapHead',
        in_channels=1408,
        out_channels=17,
        deconv_out_channels=[],
        deconv_kernel_sizes=[],
        final_layer=dict(kernel_size=3, padding=1),
        loss=dict(type='mmpose.KeypointMSELoss', use_target_weight=True),
        decoder=dict(type='mmpose.UDPHeatmap', input_size=(168, 224), heatmap_size=(48, 64), sigma=2)),
    test_cfg=dict(flip_test=False, output_heatmaps=False))
