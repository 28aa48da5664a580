# stage2_joint_tiny_synthetic.py on the tiny EVA02-CLIP-L-shaped tower: LoRA on q_proj / v_proj through the three
# frozen heads of stage1_{caption,detr,mask2former}_eva02_tiny_synthetic.py.
_base_ = ['./stage2_joint_tiny_synthetic.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_eva02_tiny_synthetic.py',
    detection='{{ fileDirname }}/stage1_detr_eva02_tiny_synthetic.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_eva02_tiny_synthetic.py', batch_size=_base_.stage2_batch_size)
