# EVA-02-CLIP-E vision tower (4.4 B): 64 post-norm blocks, width 1792, patch 14.
_base_ = './eva_vit_g.py'
backbone = dict(arch='eva-e', init_cfg=dict(checkpoint='checkpoints/EVA02_CLIP_E_psz14_s4B.pt'))
