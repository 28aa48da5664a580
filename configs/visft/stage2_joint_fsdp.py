# Stage 2 of EVA-ViT-E (4.4 B) with FSDP instead of DDP: the frozen weights are sharded over the GPUs.
#   tools/dist_train.sh configs/visft/stage2_joint_fsdp.py 8
_base_ = ['./stage2_joint.py', '../_base_/fsdp_runtime.py']
