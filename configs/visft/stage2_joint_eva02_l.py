# Stage 2: ViSFT joint LoRA (r=64, alpha=1 on q_proj / v_proj) of EVA02-CLIP-L/14 through its three frozen
# stage-1 heads (stage1_{caption,detr,mask2former}_eva02_l.py), 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_eva02_l.py 8
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_eva02_l.py', detection='{{ fileDirname }}/stage1_detr_eva02_l.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_eva02_l.py', batch_size=_base_.stage2_batch_size)
