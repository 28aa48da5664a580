# Stage 2: ViSFT joint LoRA (r=64, alpha=1 on q_proj / v_proj) of SigLIP So400m/14 through its three frozen
# stage-1 heads (stage1_{caption,detr,mask2former}_siglip_so400m.py), 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_siglip_so400m.py 8
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_siglip_so400m.py', detection='{{ fileDirname }}/stage1_detr_siglip_so400m.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_siglip_so400m.py', batch_size=_base_.stage2_batch_size)
