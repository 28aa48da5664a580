# Stage-1 segmentation head on the frozen EVA-ViT-E (4.4 B) with FSDP instead of DDP.
#   tools/dist_train.sh configs/visft/stage1_mask2former_eva_e_fsdp.py 8
_base_ = ['./stage1_mask2former_eva_e.py', '../_base_/fsdp_runtime.py']
