# Paper Table 8: NoCaps val captioning CIDEr (x100) of BLIP-2 ViT-g OPT-2.7B with the ViSFT vision tower after
# 0 / 5k / 15k stage-2 iterations.  The paper gives the overall CIDEr only; the config also reports the in /
# near / out-of-domain CIDEr (blip2-opt2.7b/nocaps/<domain>/CIDEr).  Nothing trains.
title = 'Table 8: NoCaps captioning with BLIP-2 ViT-g OPT-2.7B'
configs = {'blip2-opt2.7b/nocaps/CIDEr': 'configs/blip2/nocaps_opt2.7b.py'}
metrics = {'blip2-opt2.7b/nocaps/CIDEr': 'NoCaps CIDEr'}
paper = {
    'eva-g': {
        '0k': {'blip2-opt2.7b/nocaps/CIDEr': 100.9},
        '5k': {'blip2-opt2.7b/nocaps/CIDEr': 101.3},
        '15k': {'blip2-opt2.7b/nocaps/CIDEr': 102.1},
    },
}
note = ('No SPICE (needs Java + Stanford CoreNLP models); CIDEr per domain is scored on that domain\'s images '
        'alone, as the NoCaps server does.')
