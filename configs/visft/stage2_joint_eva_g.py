# Stage 2: ViSFT joint LoRA fine-tuning of EVA-ViT-g through the three frozen stage-1 heads, 50k iterations.
#   tools/dist_train.sh configs/visft/stage2_joint_eva_g.py 8
# Each head, its pipeline, dataloader and metric are read from the stage-1 config that trained it, so stage 2 uses
# exactly stage 1's settings (the dumped config in the work dir spells them all out); the head weights come from
# the stage-1 checkpoints below, strictly.
from mmengine.config import Config

_base_ = ['../_base_/models/visft.py', '../_base_/schedules/stage2_50k.py', '../_base_/stage2_runtime.py']

_stage1 = dict(
    caption=Config.fromfile('{{ fileDirname }}/stage1_caption_eva_g.py'),
    detection=Config.fromfile('{{ fileDirname }}/stage1_detr_eva_g.py'),
    segmentation=Config.fromfile('{{ fileDirname }}/stage1_mask2former_eva_g.py'))
for _cfg in _stage1.values():
    _cfg.model.pop('backbone')  # the shared backbone above takes its place
model = dict(
    heads=dict(
        caption=dict(model=_stage1['caption'].model, checkpoint='work_dirs/stage1_caption_eva_g/iter_100000.pth'),
        detection=dict(model=_stage1['detection'].model, checkpoint='work_dirs/stage1_detr_eva_g/iter_150000.pth'),
        segmentation=dict(model=_stage1['segmentation'].model,
                          checkpoint='work_dirs/stage1_mask2former_eva_g/iter_150000.pth')))
train_dataloader = {task: cfg.train_dataloader for task, cfg in _stage1.items()}
train_dataloader['caption'].batch_size = 8  # paper: 8 captions / 1 detection / 1 segmentation image per GPU
val_dataloader = {task: cfg.val_dataloader for task, cfg in _stage1.items()}
val_evaluator = {task: cfg.val_evaluator for task, cfg in _stage1.items()}
test_dataloader = val_dataloader
test_evaluator = val_evaluator
del Config, _stage1, _cfg
