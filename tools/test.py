"""Evaluate a visft_mm config: a trained checkpoint, or a model whose weights all come from init_cfg.

    python tools/test.py CONFIG [CHECKPOINT] [--lora LORA] [--work-dir DIR] [--out results.json|.pkl]
        [--cfg-options ...]
    tools/dist_test.sh CONFIG CHECKPOINT 8

Without CHECKPOINT (zero-shot CLIP, BLIP-2: nothing is trained) the model is initialised from its init_cfg (the
EVA-CLIP file, + the LoRA of --lora).  ``--out X.json`` writes the metrics; any other suffix dumps predictions.
"""
import visft_mm  # noqa: F401  (the registry scope; modules register at their first look-up)
from visft_mm.engine.launch import test_main

if __name__ == '__main__':
    test_main()
