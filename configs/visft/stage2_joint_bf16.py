# Stage 2 of EVA-ViT-E with its frozen weights stored in bf16 (8.7 GB instead of 17.4 GB) and per-block gradient
# checkpointing: the configuration meant to fit one 24 GB GPU.  The LoRA, its AdamW states and the heads stay fp32;
# the backbone computes under bf16 autocast (the LoRA update is computed and added in bf16).  Checkpoints hold the
# fp32 LoRA only and load onto an fp32-stored model and back.
#   tools/dist_train.sh configs/visft/stage2_joint_bf16.py 8
# Same for eva-g: --cfg-options on stage2_joint_eva_g.py: model.backbone.frozen_dtype=bfloat16
# model.backbone.with_cp=True
_base_ = ['./stage2_joint.py']
model = dict(backbone=dict(frozen_dtype='bfloat16', with_cp=True))
