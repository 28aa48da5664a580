# Stage 2: ViSFT joint LoRA fine-tuning of EVA-ViT-g through the three frozen stage-1 heads, 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_eva_g.py 8
# The backbone, each head, its pipeline, dataloader and metric are read from the stage-1 config that trained it
# (visft_mm.engine.stage2_config), so stage 2 uses exactly stage 1's settings (the dumped config in the work dir
# spells them all out); the head weights come, strictly, from the stage-1 runs' last checkpoints
# (work_dirs/<stage-1 config>/iter_<max_iters>.pth; set model.heads.<task>.checkpoint for others).
_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']
from visft_mm.engine.stage2_config import stage2_from_stage1  # noqa: E402  (an import before _base_ = lazy config)

_stage1 = stage2_from_stage1(caption='{{ fileDirname }}/stage1_caption_eva_g.py',
                             detection='{{ fileDirname }}/stage1_detr_eva_g.py',
                             segmentation='{{ fileDirname }}/stage1_mask2former_eva_g.py')
model = dict(backbone=_stage1.backbone, heads=_stage1.heads)
train_dataloader = _stage1.train_dataloader
train_dataloader['caption'].batch_size = 8  # paper: 8 captions / 1 detection / 1 segmentation image per GPU
val_dataloader = test_dataloader = _stage1.val_dataloader
val_evaluator = test_evaluator = _stage1.val_evaluator
del stage2_from_stage1, _stage1
