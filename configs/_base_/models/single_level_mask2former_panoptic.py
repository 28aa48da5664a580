# ViSFT's segmentation head for panoptic segmentation (Table 12, "panoptic instead of instance segmentation"): the
# same single-level Mask2Former, with COCO panoptic's 80 thing and 53 stuff classes, semantic maps padded with 255
# (ignored), and mmdet's fusion head producing panoptic maps.
_base_ = ['./single_level_mask2former.py']
num_things_classes = 80
num_stuff_classes = 53
model = dict(
    data_preprocessor=dict(pad_seg=True, seg_pad_value=255),
    panoptic_head=dict(
        num_things_classes=num_things_classes,
        num_stuff_classes=num_stuff_classes,
        loss_cls=dict(class_weight=[1.0] * (num_things_classes + num_stuff_classes) + [0.1])),
    panoptic_fusion_head=dict(num_things_classes=num_things_classes, num_stuff_classes=num_stuff_classes),
    test_cfg=dict(panoptic_on=True, semantic_on=False, instance_on=False))
