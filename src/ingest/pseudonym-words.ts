/**
 * Words for pseudonyms (`amber-heron`): short, common, easy to say and to tell apart, nothing that
 * reads as a judgement of a person. Changing these lists changes every pseudonym: append only.
 */

/** Colours, weather, textures and gentle qualities. */
export const ADJECTIVES: readonly string[] = [
  'amber', 'azure', 'bold', 'brave', 'breezy', 'bright', 'brisk', 'calm', 'candid', 'cheerful', 'chilly',
  'clever', 'cloudy', 'coral', 'cosmic', 'cozy', 'crimson', 'crisp', 'curious', 'dapper', 'daring',
  'dawning', 'deft', 'dewy', 'dusky', 'eager', 'early', 'earnest', 'electric', 'emerald', 'even', 'fabled',
  'fair', 'fancy', 'feathered', 'ferny', 'fiery', 'fleet', 'floral', 'fluent', 'foggy', 'frank', 'free',
  'fresh', 'frosty', 'gentle', 'giant', 'gilded', 'glad', 'gleaming', 'glossy', 'golden', 'graceful',
  'grand', 'green', 'hazel', 'hearty', 'honest', 'humble', 'icy', 'indigo', 'ivory', 'jade', 'jolly',
  'jovial', 'keen', 'kind', 'lavender', 'leafy', 'lemon', 'light', 'lilac', 'limber', 'lively', 'lucky',
  'lunar', 'lush', 'magic', 'maple', 'marble', 'mellow', 'merry', 'mighty', 'mild', 'minty', 'misty',
  'modest', 'mossy', 'nimble', 'noble', 'northern', 'oaken', 'oceanic', 'olive', 'opal', 'orange',
  'pastel', 'patient', 'peachy', 'pearly', 'pebbled', 'perky', 'piney', 'placid', 'plucky', 'polar',
  'polite', 'proud', 'quick', 'quiet', 'radiant', 'rainy', 'rapid', 'rosy', 'royal', 'ruby', 'rustic',
  'sage', 'salty', 'sandy', 'sapphire', 'scarlet', 'serene', 'shady', 'sharp', 'shiny', 'silent', 'silky',
  'silver', 'simple', 'sleek', 'smooth', 'snowy', 'soft', 'solar', 'sonic', 'spry', 'starry', 'steady',
  'stormy', 'sturdy', 'sunny', 'swift', 'tawny', 'teal', 'tender', 'thrifty', 'tidy', 'tranquil', 'true',
  'trusty', 'twilit', 'upbeat', 'urban', 'valiant', 'velvet', 'vivid', 'warm', 'wavy', 'whimsical', 'wild',
  'windy', 'wise', 'witty', 'woolly', 'young', 'zesty', 'zippy', 'agile', 'airy', 'alpine', 'ancient',
  'arctic', 'ashen', 'autumn', 'balmy', 'beaming', 'blithe', 'blue', 'bouncy', 'breezed', 'briny',
  'bubbly', 'buoyant', 'burly', 'cedar', 'cerulean', 'charming', 'cinder', 'citrus', 'civic', 'cobalt',
  'comet', 'copper', 'cotton', 'crafty', 'creamy', 'crystal', 'dainty', 'dashing', 'deep', 'dreamy',
  'dune', 'dusty', 'ember', 'fabulous', 'fearless', 'festive', 'fine', 'flint', 'fluffy', 'frisky',
  'gallant', 'garnet', 'ginger', 'glacial', 'glowing', 'granite', 'grassy', 'hale', 'happy', 'harbor',
  'hidden', 'hollow', 'honeyed', 'hushed', 'inky', 'jasper', 'jubilant', 'lanky', 'lilting', 'lofty',
  'loyal', 'mauve', 'meadow', 'mint', 'moonlit', 'nifty', 'nutmeg', 'ochre', 'opaline', 'pale', 'pine',
  'plum', 'prairie', 'prime', 'quaint', 'quartz', 'rippled', 'river', 'rugged', 'russet', 'saffron',
  'satin', 'shell', 'sienna', 'sincere', 'slate', 'snug', 'sparkling', 'spring', 'spruce', 'stellar',
  'stony', 'summer', 'supple', 'thistle', 'timber', 'topaz', 'trim', 'tulip', 'umber', 'vernal', 'vital',
  'wandering', 'whispering', 'willow', 'winter', 'wintry', 'woven',
];

/** Animals, birds and plants. */
export const NOUNS: readonly string[] = [
  'heron', 'otter', 'badger', 'falcon', 'finch', 'fox', 'hare', 'ibis', 'jay', 'kestrel', 'lark', 'lynx',
  'magpie', 'marten', 'mole', 'moose', 'newt', 'owl', 'panda', 'puffin', 'quail', 'raven', 'robin',
  'salmon', 'seal', 'sparrow', 'stoat', 'swallow', 'swan', 'tern', 'thrush', 'toad', 'trout', 'vole',
  'walrus', 'wren', 'yak', 'zebra', 'alder', 'aspen', 'birch', 'cedar', 'clover', 'cypress', 'elm', 'fern',
  'hazel', 'ivy', 'juniper', 'laurel', 'lily', 'linden', 'lotus', 'maple', 'moss', 'oak', 'orchid', 'pine',
  'poppy', 'reed', 'rowan', 'sage', 'spruce', 'tulip', 'willow', 'yarrow', 'albatross', 'antelope',
  'armadillo', 'beaver', 'bison', 'bluebird', 'bobcat', 'buffalo', 'bunting', 'butterfly', 'camel',
  'canary', 'caribou', 'cardinal', 'cheetah', 'chipmunk', 'cicada', 'condor', 'cormorant', 'cougar',
  'coyote', 'crane', 'cricket', 'crow', 'curlew', 'deer', 'dingo', 'dolphin', 'dove', 'dragonfly', 'duck',
  'eagle', 'egret', 'elk', 'emu', 'ferret', 'firefly', 'flamingo', 'gazelle', 'gecko', 'gibbon', 'giraffe',
  'goose', 'gopher', 'grouse', 'gull', 'hawk', 'hedgehog', 'hornet', 'hummingbird', 'ibex', 'iguana',
  'impala', 'jackal', 'jaguar', 'kingfisher', 'kiwi', 'koala', 'lemur', 'leopard', 'lion', 'llama',
  'lobster', 'loon', 'macaw', 'mallard', 'manatee', 'marmot', 'meerkat', 'mink', 'mockingbird', 'mongoose',
  'narwhal', 'nightingale', 'ocelot', 'octopus', 'oriole', 'osprey', 'ostrich', 'oyster', 'panther',
  'parrot', 'peacock', 'pelican', 'penguin', 'petrel', 'pheasant', 'pigeon', 'plover', 'porcupine',
  'possum', 'prawn', 'quokka', 'rabbit', 'raccoon', 'reindeer', 'rhino', 'sandpiper', 'sardine',
  'scorpion', 'shrike', 'skylark', 'sloth', 'snail', 'sparrowhawk', 'squid', 'squirrel', 'starling',
  'stingray', 'stork', 'sunbird', 'swift', 'tapir', 'terrier', 'tiger', 'tortoise', 'toucan', 'turtle',
  'viper', 'vulture', 'wallaby', 'warbler', 'weasel', 'whale', 'wildcat', 'wolf', 'wombat', 'woodpecker',
  'acacia', 'anemone', 'azalea', 'bamboo', 'basil', 'begonia', 'bluebell', 'bramble', 'buttercup',
  'cactus', 'camellia', 'chestnut', 'clematis', 'crocus', 'daffodil', 'dahlia', 'daisy', 'fennel', 'fig',
  'foxglove', 'gardenia', 'geranium', 'heather', 'hibiscus', 'holly', 'honeysuckle', 'hyacinth', 'iris',
  'jasmine', 'lavender', 'lilac', 'magnolia', 'mallow', 'marigold', 'mimosa', 'mint', 'myrtle', 'nettle',
  'olive', 'peony', 'primrose', 'quince', 'redwood', 'rose', 'saffron', 'sequoia', 'sorrel', 'sumac',
  'sycamore', 'thistle', 'thyme', 'tamarind', 'violet', 'wisteria',
];
