# Paper Table 8: NoCaps val captioning CIDEr of BLIP-2 ViT-g OPT-2.7B with the ViSFT vision tower, 0 / 5k / 15k
# stage-2 iterations.  The metric is already x100.  The paper gives the overall CIDEr only; the in / near /
# out-of-domain columns are ours.  Nothing trains; benchmark of configs/benchmarks/blip2.py.
title = 'Table 8: NoCaps val captioning with BLIP-2 ViT-g OPT-2.7B, CIDEr'
columns = [
    dict(title='NoCaps CIDEr', benchmark='blip2_nocaps_opt2.7b', metric='blip2-opt2.7b/nocaps/CIDEr'),
    dict(title='in-domain', benchmark='blip2_nocaps_opt2.7b', metric='blip2-opt2.7b/nocaps/in-domain/CIDEr'),
    dict(title='near-domain', benchmark='blip2_nocaps_opt2.7b', metric='blip2-opt2.7b/nocaps/near-domain/CIDEr'),
    dict(title='out-domain', benchmark='blip2_nocaps_opt2.7b', metric='blip2-opt2.7b/nocaps/out-domain/CIDEr'),
]
paper = {
    'eva-g': {
        '0k': {'NoCaps CIDEr': 100.9},
        '5k': {'NoCaps CIDEr': 101.3},
        '15k': {'NoCaps CIDEr': 102.1},
    },
}
note = ('No SPICE (needs Stanford CoreNLP models); each domain\'s CIDEr is scored on that domain\'s images alone, '
        'as the NoCaps server does.')
