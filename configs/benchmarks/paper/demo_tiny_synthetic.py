# The demo's before/after table (synthetic data, mini CLIP): no paper numbers exist for it.
title = 'Demo: out-of-domain probes on synthetic data, mini CLIP before / after ViSFT'
columns = [
    dict(title='OCR char recall', benchmark='ocr', metric='total/recog/char_recall', scale=100),
    dict(title='OCR word acc', benchmark='ocr', metric='total/recog/word_acc_ignore_case_symbol', scale=100),
    dict(title='GOI top-1', benchmark='goi', metric='accuracy/top1'),
    dict(title='GOI top-5', benchmark='goi', metric='accuracy/top5'),
    dict(title='GOI shape top-1', benchmark='goi_shape', metric='accuracy/top1'),
    dict(title='zero-shot colour', benchmark='zero_shot_colours', metric='accuracy/top1'),
    dict(title='zero-shot shape', benchmark='zero_shot_shapes', metric='accuracy/top1'),
    dict(title='text R@1', benchmark='retrieval', metric='i2t/retrieval/Recall@1'),
    dict(title='image R@1', benchmark='retrieval', metric='t2i/retrieval/Recall@1'),
]
paper = {}
note = ('Synthetic shapes, a CLIP of 4 blocks pretrained for a minute on 64 captioned images: the table shows that '
        'the whole out-of-domain path runs on a ViSFT LoRA, not what ViSFT does for EVA-CLIP on real data.')
