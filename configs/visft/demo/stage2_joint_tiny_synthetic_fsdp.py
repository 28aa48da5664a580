# The stage-2 demo with FSDP (mmengine's FlexibleRunner + FSDPStrategy); on CPU the ranks use gloo:
#   tools/dist_train.sh configs/visft/demo/stage2_joint_tiny_synthetic_fsdp.py 2
# Checkpoints: one file per save (written by rank 0), read by --resume, --lora and eva_convert.py.
_base_ = ['./stage2_joint_tiny_synthetic.py', '../../_base_/fsdp_runtime.py']
