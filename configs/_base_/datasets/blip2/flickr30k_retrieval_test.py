# Flickr30K Karpathy test (1k images, 5k captions), zero-shot with the COCO-finetuned BLIP-2 (as LAVIS).
_base_ = ['./coco_retrieval_test.py']
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='Flickr30kRetrieval',
        _scope_='mmpretrain',
        data_root='data/flickr30k',
        ann_file='annotations/dataset_flickr30k.json',
        data_prefix='images',
        split='test',
        test_mode=True,
        pipeline={{_base_.retrieval_test_pipeline}}))
test_evaluator = dict(prefix='flickr30k')
