# Paper Table 7: zero-shot VQA accuracy (%) of BLIP-2 ViT-g with the ViSFT vision tower (LoRA merged; Q-Former
# and OPT unchanged), 0 / 5k / 20k stage-2 iterations.  VQAv2 val and OK-VQA val: official VQA accuracy; GQA
# test-dev balanced: exact match.  Nothing trains (tools/test.py CONFIG --lora LORA); benchmarks of
# configs/benchmarks/blip2.py.
title = 'Table 7: zero-shot VQA with BLIP-2 ViT-g, accuracy (%)'
columns = [
    dict(title='OPT-2.7B VQAv2', benchmark='blip2_vqav2_opt2.7b', metric='blip2-opt2.7b/VQAv2/acc'),
    dict(title='OPT-2.7B OK-VQA', benchmark='blip2_okvqa_opt2.7b', metric='blip2-opt2.7b/OKVQA/acc'),
    dict(title='OPT-2.7B GQA', benchmark='blip2_gqa_opt2.7b', metric='blip2-opt2.7b/GQA/acc'),
    dict(title='OPT-6.7B VQAv2', benchmark='blip2_vqav2_opt6.7b', metric='blip2-opt6.7b/VQAv2/acc'),
    dict(title='OPT-6.7B OK-VQA', benchmark='blip2_okvqa_opt6.7b', metric='blip2-opt6.7b/OKVQA/acc'),
    dict(title='OPT-6.7B GQA', benchmark='blip2_gqa_opt6.7b', metric='blip2-opt6.7b/GQA/acc'),
]
paper = {
    'eva-g': {
        '0k': {'OPT-2.7B VQAv2': 51.9, 'OPT-2.7B OK-VQA': 31.5, 'OPT-2.7B GQA': 32.6,
               'OPT-6.7B VQAv2': 55.1, 'OPT-6.7B OK-VQA': 35.4, 'OPT-6.7B GQA': 35.3},
        '5k': {'OPT-2.7B VQAv2': 52.0, 'OPT-2.7B OK-VQA': 31.5, 'OPT-2.7B GQA': 32.6,
               'OPT-6.7B VQAv2': 55.2, 'OPT-6.7B OK-VQA': 35.5, 'OPT-6.7B GQA': 35.3},
        '20k': {'OPT-2.7B VQAv2': 52.0, 'OPT-2.7B OK-VQA': 31.7, 'OPT-2.7B GQA': 32.7,
                'OPT-6.7B VQAv2': 55.3, 'OPT-6.7B OK-VQA': 35.7, 'OPT-6.7B GQA': 35.5},
    },
}
note = ('0k = the frozen EVA-CLIP vision tower (lora=None); 5k / 20k = the stage-2 LoRA after that many '
        'iterations, merged.  BLIP-2 weights: LAVIS blip2_pretrained_opt{2.7b,6.7b}.pth converted by '
        'tools/model_converters/blip2_lavis_to_mmpretrain.py.')
