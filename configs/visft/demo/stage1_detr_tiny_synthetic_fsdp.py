# The stage-1 detection demo with FSDP (frozen blocks in their own units, the trainable head parts in theirs):
#   tools/dist_train.sh configs/visft/demo/stage1_detr_tiny_synthetic_fsdp.py 2
_base_ = ['./stage1_detr_tiny_synthetic.py', '../../_base_/fsdp_runtime.py']
