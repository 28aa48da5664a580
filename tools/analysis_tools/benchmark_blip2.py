"""Throughput of a configs/blip2 VQA or caption model's predict (random weights; timing only).

    # tiny models on CPU (EVAViT 'tiny', 2-layer OPT / Q-Former written to a temp folder)
    python tools/analysis_tools/benchmark_blip2.py configs/blip2/vqav2_opt2.7b.py --tiny
    # the real sizes in bf16 on a GPU: needs only config.json + tokenizer files in checkpoints/opt-2.7b and
    # checkpoints/bert-base-uncased (weights are random: no_load_hf_pretrained_model)
    python tools/analysis_tools/benchmark_blip2.py configs/blip2/vqav2_opt2.7b.py --device cuda --dtype bf16

Prints questions (or images) per second over --iters batches after --warmup, and the projected wall time of
--num-questions (default: VQAv2 val, 214,354 questions).
"""
import argparse
import tempfile
import time

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.models.utils.huggingface import no_load_hf_pretrained_model
from mmpretrain.structures import DataSample

import visft_mm  # noqa: F401
from visft_mm.registry import MODELS

DTYPES = dict(fp32=torch.float32, bf16=torch.bfloat16, fp16=torch.float16)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--tiny', action='store_true', help='shrink the model (tests\' tiny folders in a temp dir)')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--image-size', type=int, help='default: the config\'s Resize scale')
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--dtype', choices=sorted(DTYPES), default='fp32')
    parser.add_argument('--num-questions', type=int, default=214354, help='for the projected wall time')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'visft_mm'))
    tmp = tempfile.TemporaryDirectory()
    if args.tiny:
        from visft_mm.testing.tiny_blip2 import shrink_blip2_config, write_tiny_blip2_files
        shrink_blip2_config(cfg, write_tiny_blip2_files(tmp.name))
    cfg.model.init_cfg = None
    cfg.model.vision_backbone.init_cfg = None
    size = args.image_size or next(t['scale'][0] for t in cfg.test_dataloader.dataset.pipeline
                                   if t['type'] == 'Resize')
    with no_load_hf_pretrained_model():
        model = MODELS.build(cfg.model)
    model = model.to(args.device, DTYPES[args.dtype]).eval()
    vqa = hasattr(model, 'max_prompt_len')
    images = torch.randn(args.batch_size, 3, size, size, device=args.device, dtype=DTYPES[args.dtype])

    def batch():
        samples = [DataSample(question='what is the man on the left holding in his hand?')
                   for _ in range(args.batch_size)] if vqa else None
        with torch.no_grad():
            model.predict(images, samples)
        if args.device.startswith('cuda'):
            torch.cuda.synchronize()

    for _ in range(args.warmup):
        batch()
    start = time.perf_counter()
    for _ in range(args.iters):
        batch()
    seconds = (time.perf_counter() - start) / args.iters
    rate = args.batch_size / seconds
    unit = 'questions' if vqa else 'images'
    print(f'{args.config}{" (tiny)" if args.tiny else ""} on {args.device} {args.dtype}, batch {args.batch_size}, '
          f'{size} px, generation {model._generation_cfg}: {seconds:.3f} s/batch, {rate:.2f} {unit}/s')
    if vqa:
        print(f'projected: {args.num_questions} questions in {args.num_questions / rate / 3600:.2f} h')


if __name__ == '__main__':
    main()
