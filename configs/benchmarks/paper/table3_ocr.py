# ViSFT Table 3 (arXiv 2401.10222): OCR with a ViTSTR-style probe trained on the frozen backbone (MJSynth +
# SynthText), word accuracy (%) on the scene-text benchmarks.  Benchmark 'ocr' = configs/probes/ocr/vitstr_eva_g.py
# (trains first).  The paper gives, as text we could check, only the average over its six sets for EVA-ViT-G;
# its per-set numbers are not reproduced here.
title = 'Table 3: OCR (ViTSTR-style probe), word accuracy (%)'
_key = '/recog/word_acc_ignore_case_symbol'
columns = [
    dict(title='IIIT', benchmark='ocr', metric='IIIT5k_3000' + _key, scale=100),
    dict(title='SVT', benchmark='ocr', metric='SVT' + _key, scale=100),
    dict(title='IC03', benchmark='ocr', metric='IC03_860' + _key, scale=100),
    dict(title='IC13', benchmark='ocr', metric='IC13_857' + _key, scale=100),
    dict(title='IC15', benchmark='ocr', metric='IC15_1811' + _key, scale=100),
    dict(title='SVTP', benchmark='ocr', metric='SVTP' + _key, scale=100),
    dict(title='Avg', benchmark='ocr', metric='paper6' + _key, scale=100),
    dict(title='Total (10 sets)', benchmark='ocr', metric='total' + _key, scale=100),
]
paper = {'eva-g': {'0k': {'Avg': 44.4}, '5k': {'Avg': 46.9}, '15k': {'Avg': 47.6}}}
note = ('Avg: plain mean over IC03, IC13, IC15, SVTP, SVT, IIIT (taken as the IC03_860 / IC13_857 / IC15_1811 '
        'versions; the paper does not name them).  Total: all correct words / all words over the 10 clovaai '
        'evaluation sets (ViTSTR\'s total accuracy).  Words compared as ViTSTR: lower case, alphanumerics only.')
