# Stage 2: ViSFT joint LoRA fine-tuning of EVA-ViT-g through the three frozen stage-1 heads, 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_eva_g.py 8
# The backbone, each head, its pipeline, dataloader and metric are read from the stage-1 config that trained it
# (visft_mm.engine.stage2_config), so stage 2 uses exactly stage 1's settings (the dumped config in the work dir
# spells them all out); the head weights come, strictly, from the stage-1 runs' last checkpoints
# (work_dirs/<stage-1 config>/iter_<max_iters>.pth; set model.heads.<task>.checkpoint for others).
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (after _base_: not a lazy config)

model, train_dataloader, val_dataloader, test_dataloader, val_evaluator, test_evaluator = stage2_from_stage1(
    caption='{{ fileDirname }}/stage1_caption_eva_g.py', detection='{{ fileDirname }}/stage1_detr_eva_g.py',
    segmentation='{{ fileDirname }}/stage1_mask2former_eva_g.py', batch_size=_base_.stage2_batch_size)
