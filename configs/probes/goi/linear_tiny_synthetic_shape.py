# The GOI linear probe on the synthetic coco-goi images named by shape alone (4 classes; written by
# generate_goi_data(classes='shape', folder='coco-goi-shape')): what a backbone knows of shape, apart from colour.
_base_ = ['./linear_tiny_synthetic.py']
data_root = 'data/synthetic/m3it/coco-goi-shape/'
model = dict(head=dict(num_classes=4, topk=(1, )))
train_dataloader = dict(dataset=dict(data_root=data_root, classes=data_root + 'classes.txt'))
val_dataloader = dict(dataset=dict(data_root=data_root, classes=data_root + 'classes.txt'))
test_dataloader = val_dataloader
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))  # 4 classes: top-5 says nothing
test_evaluator = val_evaluator
