# Stage 2: ViSFT joint LoRA fine-tuning of EVA-ViT-E (4.4 B, the paper's main model), 50k iterations on 8 GPUs.
#   tools/dist_train.sh configs/visft/stage2_joint.py 8
# after the three stage-1 runs (stage1_{caption,detr,mask2former}_eva_e.py).  The 5k checkpoint is the paper's
# default ViSFT model; export it with tools/model_converters/eva_convert.py export ... --lora iter_5000.pth.
_base_ = ['./stage2_joint_eva_g.py']
model = dict(
    backbone=dict(arch='eva-e', init_cfg=dict(checkpoint='checkpoints/EVA02_CLIP_E_psz14_s4B.pt')),
    heads=dict(
        caption=dict(checkpoint='work_dirs/stage1_caption_eva_e/iter_100000.pth'),
        detection=dict(model=dict(neck=dict(in_channels=[1792])),
                       checkpoint='work_dirs/stage1_detr_eva_e/iter_150000.pth'),
        segmentation=dict(model=dict(panoptic_head=dict(in_channels=[1792])),
                          checkpoint='work_dirs/stage1_mask2former_eva_e/iter_150000.pth')))
