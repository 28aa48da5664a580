# Ablation (paper): stage 2 on a seeded random 25% of each task's training images.
_base_ = ['../stage2_joint.py']
_subset = dict(type='SubsetDataset', fraction=0.25, seed=0)
train_dataloader = dict(
    caption=dict(dataset=dict(_subset, dataset={{_base_.train_dataloader.caption.dataset}}, _delete_=True)),
    detection=dict(dataset=dict(_subset, dataset={{_base_.train_dataloader.detection.dataset}}, _delete_=True)),
    segmentation=dict(dataset=dict(_subset, dataset={{_base_.train_dataloader.segmentation.dataset}},
                                   _delete_=True)))
