# BLIP-2 with the ViSFT vision tower (paper Tables 6, 7, 8): every benchmark is zero-shot (nothing trains), run as
# tools/test.py CONFIG --lora LORA for each LoRA below.
#   python tools/visft_benchmark.py configs/benchmarks/blip2_eva_g.py
# Needs: the EVA-CLIP file, LAVIS BLIP-2 checkpoints converted with
# tools/model_converters/blip2_lavis_to_mmpretrain.py (checkpoints/blip2_*_mmpretrain.pth), local Hugging Face
# folders checkpoints/opt-2.7b, checkpoints/opt-6.7b, checkpoints/bert-base-uncased, and the data under data/
# (see configs/_base_/datasets/blip2/).
_base_ = ['../_base_/benchmarks/eva_g.py']
benchmarks = {
    'blip2_vqav2_opt2.7b': dict(config='configs/blip2/vqav2_opt2.7b.py'),
    'blip2_okvqa_opt2.7b': dict(config='configs/blip2/okvqa_opt2.7b.py'),
    'blip2_gqa_opt2.7b': dict(config='configs/blip2/gqa_opt2.7b.py'),
    'blip2_vqav2_opt6.7b': dict(config='configs/blip2/vqav2_opt6.7b.py'),
    'blip2_okvqa_opt6.7b': dict(config='configs/blip2/okvqa_opt6.7b.py'),
    'blip2_gqa_opt6.7b': dict(config='configs/blip2/gqa_opt6.7b.py'),
    'blip2_nocaps_opt2.7b': dict(config='configs/blip2/nocaps_opt2.7b.py'),
    'blip2_retrieval_coco': dict(config='configs/blip2/retrieval_coco.py'),
    'blip2_retrieval_flickr30k': dict(config='configs/blip2/retrieval_flickr30k.py'),
}
tables = ['configs/benchmarks/paper/table7_blip2_vqa.py', 'configs/benchmarks/paper/table8_nocaps.py',
          'configs/benchmarks/paper/table6_blip2_retrieval.py']
work_dir = 'work_dirs/benchmarks/blip2_eva_g'
