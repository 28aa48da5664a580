# EVA-ViT-E (EVA02-CLIP-E/14-plus, the s9B file the released E LoRA was trained on) and the stage-2 checkpoints of
# configs/visft/stage2_joint.py the paper compares.
arch = 'eva-e'
eva_checkpoint = 'checkpoints/EVA02_CLIP_E_psz14_plus_s9B.pt'  # vision trunk, and for zero-shot the head + text tower
loras = {'0k': None, '5k': 'work_dirs/stage2_joint/iter_5000.pth', '50k': 'work_dirs/stage2_joint/iter_50000.pth'}
