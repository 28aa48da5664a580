# Stage 2 (EVA-ViT-E) with the optimizer state sharded over the GPUs (ZeRO-1), as the paper trained.  The LoRA-only
# AdamW state is small (2 x 29.4 M fp32 values for eva-e), so this saves little memory; it is here for parity.
#   tools/dist_train.sh configs/visft/stage2_joint_zero.py 8
_base_ = ['./stage2_joint.py']
optim_wrapper = dict(optimizer=dict(type='ConsolidatingZeroRedundancyOptimizer', optimizer_type='AdamW'))
custom_hooks = _base_.custom_hooks + [dict(type='ZeroConsolidateHook')]
