# Paper Table 7: zero-shot VQA accuracy (%) of BLIP-2 ViT-g with the ViSFT vision tower (LoRA merged; Q-Former
# and OPT unchanged), after 0 / 5k / 20k stage-2 iterations.  VQAv2 val, OK-VQA val (official VQA accuracy),
# GQA test-dev balanced (exact match).  Nothing trains: tools/test.py CONFIG --lora LORA.
title = 'Table 7: zero-shot VQA with BLIP-2 ViT-g (OPT-2.7B / OPT-6.7B)'
configs = {
    'blip2-opt2.7b/VQAv2/acc': 'configs/blip2/vqav2_opt2.7b.py',
    'blip2-opt2.7b/OKVQA/acc': 'configs/blip2/okvqa_opt2.7b.py',
    'blip2-opt2.7b/GQA/acc': 'configs/blip2/gqa_opt2.7b.py',
    'blip2-opt6.7b/VQAv2/acc': 'configs/blip2/vqav2_opt6.7b.py',
    'blip2-opt6.7b/OKVQA/acc': 'configs/blip2/okvqa_opt6.7b.py',
    'blip2-opt6.7b/GQA/acc': 'configs/blip2/gqa_opt6.7b.py',
}
metrics = {
    'blip2-opt2.7b/VQAv2/acc': 'OPT-2.7B VQAv2',
    'blip2-opt2.7b/OKVQA/acc': 'OPT-2.7B OK-VQA',
    'blip2-opt2.7b/GQA/acc': 'OPT-2.7B GQA',
    'blip2-opt6.7b/VQAv2/acc': 'OPT-6.7B VQAv2',
    'blip2-opt6.7b/OKVQA/acc': 'OPT-6.7B OK-VQA',
    'blip2-opt6.7b/GQA/acc': 'OPT-6.7B GQA',
}
paper = {
    'eva-g': {
        '0k': {'blip2-opt2.7b/VQAv2/acc': 51.9, 'blip2-opt2.7b/OKVQA/acc': 31.5, 'blip2-opt2.7b/GQA/acc': 32.6,
               'blip2-opt6.7b/VQAv2/acc': 55.1, 'blip2-opt6.7b/OKVQA/acc': 35.4, 'blip2-opt6.7b/GQA/acc': 35.3},
        '5k': {'blip2-opt2.7b/VQAv2/acc': 52.0, 'blip2-opt2.7b/OKVQA/acc': 31.5, 'blip2-opt2.7b/GQA/acc': 32.6,
               'blip2-opt6.7b/VQAv2/acc': 55.2, 'blip2-opt6.7b/OKVQA/acc': 35.5, 'blip2-opt6.7b/GQA/acc': 35.3},
        '20k': {'blip2-opt2.7b/VQAv2/acc': 52.0, 'blip2-opt2.7b/OKVQA/acc': 31.7, 'blip2-opt2.7b/GQA/acc': 32.7,
                'blip2-opt6.7b/VQAv2/acc': 55.3, 'blip2-opt6.7b/OKVQA/acc': 35.7, 'blip2-opt6.7b/GQA/acc': 35.5},
    },
}
note = ('0k = the frozen EVA-CLIP vision tower (lora=None); 5k / 20k = the stage-2 LoRA after that many '
        'iterations, merged.  BLIP-2 weights: LAVIS blip2_pretrained_opt{2.7b,6.7b}.pth converted by '
        'tools/model_converters/blip2_lavis_to_mmpretrain.py.')
