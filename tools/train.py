"""Train a visft_mm config (any OpenMMLab-style config) with MMEngine's Runner.

    python tools/train.py configs/visft/stage1_detr_eva_g.py [--work-dir DIR] [--resume [CKPT]] [--amp]
        [--lora LORA] [--cfg-options key=value ...]
    tools/dist_train.sh configs/visft/stage1_mask2former_eva_e.py 8
"""
import visft_mm  # noqa: F401  (the registry scope; modules register at their first look-up)
from visft_mm.engine.launch import train_main

if __name__ == '__main__':
    train_main()
