<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>kiln::BuiltinModels</name>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="239"/>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="239"/>
        <source>Fully connected layers with ReLU, for tabular data or flattened images</source>
        <translation>ReLU 付きの全結合層。表形式データや平坦化した画像向け</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="241"/>
        <location filename="../core/engines/builtinmodels.cpp" line="278"/>
        <source>Inputs</source>
        <translation>入力数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="242"/>
        <source>Hidden layers (sizes, comma-separated)</source>
        <translation>隠れ層 (サイズをカンマ区切り)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="243"/>
        <source>Outputs</source>
        <translation>出力数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="244"/>
        <source>Dropout</source>
        <translation>ドロップアウト</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="251"/>
        <source>LeNet CNN</source>
        <translation>LeNet CNN</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="251"/>
        <source>Two convolutions with pooling and three fully connected layers</source>
        <translation>プーリング付きの 2 つの畳み込み層と 3 つの全結合層</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="247"/>
        <location filename="../core/engines/builtinmodels.cpp" line="253"/>
        <location filename="../core/engines/builtinmodels.cpp" line="258"/>
        <source>Image channels</source>
        <translation>画像のチャンネル数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="245"/>
        <source>CNN</source>
        <translation>CNN</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="245"/>
        <source>Two convolution blocks with batch normalization and pooling, then two fully connected layers</source>
        <translation>バッチ正規化とプーリング付きの 2 つの畳み込みブロックと、それに続く 2 つの全結合層</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="248"/>
        <location filename="../core/engines/builtinmodels.cpp" line="254"/>
        <source>Image size</source>
        <translation>画像サイズ</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="249"/>
        <source>Width (channels of the first block)</source>
        <translation>幅 (最初のブロックのチャンネル数)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="250"/>
        <location filename="../core/engines/builtinmodels.cpp" line="255"/>
        <location filename="../core/engines/builtinmodels.cpp" line="261"/>
        <location filename="../core/engines/builtinmodels.cpp" line="268"/>
        <location filename="../core/engines/builtinmodels.cpp" line="275"/>
        <source>Classes</source>
        <translation>クラス数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="256"/>
        <source>Small ResNet</source>
        <translation>小型 ResNet</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="256"/>
        <source>Residual blocks with batch normalization and global pooling</source>
        <translation>バッチ正規化付きの残差ブロックとグローバルプーリング</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="259"/>
        <source>Width (channels inside)</source>
        <translation>幅 (内部のチャンネル数)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="260"/>
        <source>Residual blocks</source>
        <translation>残差ブロック数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="262"/>
        <source>LSTM/GRU classifier</source>
        <translation>LSTM/GRU 分類器</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="262"/>
        <source>A recurrent network over sequences; the last step decides</source>
        <translation>系列を処理する再帰型ネットワーク。最後のステップで判定</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="264"/>
        <source>Cell (LSTM or GRU)</source>
        <translation>セル (LSTM または GRU)</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="265"/>
        <location filename="../core/engines/builtinmodels.cpp" line="271"/>
        <source>Features per step</source>
        <translation>ステップあたりの特徴数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="266"/>
        <location filename="../core/engines/builtinmodels.cpp" line="279"/>
        <source>Hidden size</source>
        <translation>隠れ層のサイズ</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="267"/>
        <location filename="../core/engines/builtinmodels.cpp" line="274"/>
        <source>Layers</source>
        <translation>層数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="269"/>
        <source>Transformer classifier</source>
        <translation>Transformer 分類器</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="270"/>
        <source>Transformer encoder layers over sequences, averaged, then a linear head</source>
        <translation>系列に Transformer エンコーダ層を適用し、平均してから線形層で分類</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="272"/>
        <source>Model width</source>
        <translation>モデルの幅</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="273"/>
        <source>Attention heads</source>
        <translation>アテンションヘッド数</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="276"/>
        <source>Autoencoder</source>
        <translation>オートエンコーダ</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="276"/>
        <source>Compresses its input to a small code and rebuilds it</source>
        <translation>入力を小さなコードに圧縮し、そこから復元</translation>
    </message>
    <message>
        <location filename="../core/engines/builtinmodels.cpp" line="280"/>
        <source>Code size</source>
        <translation>コードのサイズ</translation>
    </message>
</context>
<context>
    <name>kiln::CellWidget</name>
    <message>
        <location filename="../ui/cellwidget.cpp" line="51"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="53"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="54"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="290"/>
        <source>Empty Markdown cell: double-click or press Enter to write</source>
        <translation>空の Markdown セル: ダブルクリックまたは Enter キーで入力</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="326"/>
        <source>not run yet</source>
        <translation>未実行</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="330"/>
        <source>running %1</source>
        <translation>実行中 %1</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="333"/>
        <source>done in %1</source>
        <translation>完了 (%1)</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="334"/>
        <source>error after %1</source>
        <translation>エラー (%1 後)</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="335"/>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="339"/>
        <source> · edited since it ran</source>
        <translation> · 実行後に編集されています</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="341"/>
        <source> · stale: the runtime restarted since it ran</source>
        <translation> · 古い: 実行後にランタイムが再起動されました</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="343"/>
        <source> · stale: a cell it reads from changed</source>
        <translation> · 要再実行: 参照先のセルが変更されました</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="327"/>
        <source>queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <location filename="../ui/cellwidget.cpp" line="336"/>
        <source>cancelled</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>kiln::DatasetReport</name>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="103"/>
        <source>There is only one class, &apos;%1&apos;: a classifier needs at least two.</source>
        <translation>クラスが「%1」の 1 つしかありません。分類器には 2 つ以上のクラスが必要です。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="117"/>
        <source>Class &apos;%1&apos; has a single example; a class needs at least two, one to train on and one to validate.</source>
        <translation>クラス「%1」の例は 1 つだけです。学習用と検証用に、1 クラスにつき 2 つ以上必要です。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="133"/>
        <source>Class &apos;%1&apos; has %2 examples, less than a third of the %3 of class &apos;%4&apos;: the classes are imbalanced.</source>
        <translation>クラス「%1」の例は %2 個で、クラス「%4」の %3 個の 3 分の 1 未満です。クラスに偏りがあります。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="140"/>
        <source>%n more classes have less than a third of the examples of class &apos;%1&apos;.</source>
        <translation>
            <numerusform>ほかに %n 個のクラスの例が、クラス「%1」の 3 分の 1 未満です。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="253"/>
        <location filename="../core/readers/datasetreport.cpp" line="567"/>
        <source>%1 does not exist.</source>
        <translation>%1 は存在しません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="255"/>
        <source>%1 is a folder, not a CSV file.</source>
        <translation>%1 はフォルダです。CSV ファイルではありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="258"/>
        <source>%1 is not a regular file.</source>
        <translation>%1 は通常のファイルではありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="262"/>
        <location filename="../core/readers/datasetreport.cpp" line="765"/>
        <source>%1 cannot be read: %2</source>
        <translation>%1 を読み込めません: %2</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="267"/>
        <location filename="../core/readers/datasetreport.cpp" line="299"/>
        <source>%1 is empty.</source>
        <translation>%1 は空です。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="283"/>
        <source>%1 is in UTF-16; save it as UTF-8 to use it.</source>
        <translation>%1 は UTF-16 です。使うには UTF-8 で保存してください。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="287"/>
        <source>%1 is not a text file.</source>
        <translation>%1 はテキストファイルではありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="290"/>
        <source>The first line of %1 is longer than %2 MB; it is not a CSV file.</source>
        <translation>%1 の 1 行目が %2 MB を超えています。CSV ファイルではありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="306"/>
        <source>%1 cannot be read as CSV: its first line opens a quoted field that is never closed.</source>
        <translation>%1 を CSV として読み込めません。1 行目で始まる引用符付きのフィールドが閉じられていません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="444"/>
        <source>Line %1 opens a quoted field that is never closed; nothing after it can be read.</source>
        <translation>%1 行目で始まる引用符付きのフィールドが閉じられていないため、それ以降を読み込めません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="449"/>
        <source>There is no column &apos;%1&apos;. The columns are: %2.</source>
        <translation>列「%1」はありません。列は次のとおりです: %2。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="453"/>
        <source>There are no data rows.</source>
        <translation>データ行がありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="455"/>
        <source>Only one row of data: too few to train and validate a model on.</source>
        <translation>データが 1 行しかありません。モデルの学習と検証には少なすぎます。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="458"/>
        <source>Only %n rows of data: too few to train and validate a model on.</source>
        <translation>
            <numerusform>データが %n 行しかありません。モデルの学習と検証には少なすぎます。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="465"/>
        <source>The target &apos;%1&apos; is missing in every row.</source>
        <translation>目的変数「%1」はすべての行で欠損しています。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="469"/>
        <source>The target &apos;%1&apos; has the same value, %2, in every row: there is nothing to learn.</source>
        <translation>目的変数「%1」はすべての行で同じ値 (%2) です。学習できることがありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="475"/>
        <source>The target &apos;%1&apos; has more than %2 different values: too many classes. Is it a name or an identifier rather than a category?</source>
        <translation>目的変数「%1」には %2 種類を超える値があり、クラスが多すぎます。カテゴリではなく名前や ID ではありませんか?</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="481"/>
        <source>The target &apos;%1&apos; is missing in %2 of %3 rows (%4%); those rows are dropped.</source>
        <translation>目的変数「%1」は %3 行中 %2 行 (%4%) で欠損しています。それらの行は除外されます。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="489"/>
        <source>No feature columns: no column other than the target holds only numbers.</source>
        <translation>特徴量の列がありません。目的変数以外に数値だけの列がありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="494"/>
        <source>The row on line %1 has a different number of fields than the %2 columns and is skipped.</source>
        <translation>%1 行目のフィールド数が列の数 (%2) と異なるため、スキップします。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="500"/>
        <source>%n rows have a different number of fields than the %1 columns and are skipped; the first is on line %2.</source>
        <translation>
            <numerusform>%n 行のフィールド数が列の数 (%1) と異なるため、スキップします。最初は %2 行目です。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="527"/>
        <source>Column &apos;%1&apos; holds text, so it is not used as a feature.</source>
        <translation>列「%1」はテキストなので、特徴量には使いません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="530"/>
        <source>Column &apos;%1&apos; has values that are not numbers, such as &apos;%2&apos; (%3 of %4), so it is not used as a feature.</source>
        <translation>列「%1」には「%2」のような数値でない値がある (%4 個中 %3 個) ため、特徴量には使いません。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="535"/>
        <source>%n more columns hold text and are not used as features.</source>
        <translation>
            <numerusform>ほかに %n 列がテキストを含むため、特徴量には使いません。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="537"/>
        <source>Column &apos;%1&apos; is empty: every value is missing.</source>
        <translation>列「%1」は空です。すべての値が欠損しています。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="538"/>
        <source>%n more columns are empty.</source>
        <translation>
            <numerusform>ほかに %n 列が空です。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="540"/>
        <source>Column &apos;%1&apos; is missing %2 of %3 values (%4%); training fills them with the mean of the training rows.</source>
        <translation>列「%1」は %3 個中 %2 個 (%4%) の値が欠損しています。学習では学習用の行の平均値で補完します。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="545"/>
        <source>%n more columns have missing values, filled with the mean of the training rows.</source>
        <translation>
            <numerusform>ほかに %n 列に欠損値があり、学習用の行の平均値で補完します。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="547"/>
        <source>Column &apos;%1&apos; has the same value, %2, in every row; it carries no information.</source>
        <translation>列「%1」はすべての行で同じ値 (%2) なので、情報を持ちません。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="550"/>
        <source>%n more columns have the same value in every row.</source>
        <translation>
            <numerusform>ほかに %n 列がすべての行で同じ値です。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="553"/>
        <source>The first row holds data, not column names, so the columns are named %1 to %2.</source>
        <translation>1 行目は列名ではなくデータなので、列名は %1 から %2 になります。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="569"/>
        <source>%1 is not a folder.</source>
        <translation>%1 はフォルダではありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="581"/>
        <source>The folder has no class subfolders: put the images of each class in a folder named after the class.</source>
        <translation>フォルダにクラスごとのサブフォルダがありません。各クラスの画像を、クラス名を付けたフォルダに入れてください。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="648"/>
        <source>There are no images in the class folders.</source>
        <translation>クラスのフォルダに画像がありません。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="650"/>
        <source>Only one image: too few to train and validate a model on.</source>
        <translation>画像が 1 枚しかありません。モデルの学習と検証には少なすぎます。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="653"/>
        <source>Only %n images: too few to train and validate a model on.</source>
        <translation>
            <numerusform>画像が %n 枚しかありません。モデルの学習と検証には少なすぎます。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="658"/>
        <source>&apos;%1&apos; cannot be read as an image; training would stop there.</source>
        <translation>「%1」を画像として読み込めません。学習はそこで止まります。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="662"/>
        <source>%n files cannot be read as images, such as &apos;%1&apos;; training would stop there.</source>
        <translation>
            <numerusform>「%1」など %n 個のファイルを画像として読み込めません。学習はそこで止まります。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="670"/>
        <source>Class folder &apos;%1&apos; has no images.</source>
        <translation>クラスのフォルダ「%1」に画像がありません。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="674"/>
        <source>%n more class folders have no images.</source>
        <translation>
            <numerusform>ほかに %n 個のクラスのフォルダに画像がありません。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="697"/>
        <source>Image &apos;%1&apos; is %2 while the others are %3; images are resized to one size for training.</source>
        <translation>画像「%1」は %2 ですが、ほかは %3 です。学習では画像を同じサイズに変換します。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="702"/>
        <source>%n images are not %1 like most, such as &apos;%2&apos; (%3); images are resized to one size for training.</source>
        <translation>
            <numerusform>「%2」(%3) など %n 枚の画像が、大半の %1 と異なります。学習では画像を同じサイズに変換します。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="710"/>
        <source>&apos;%1&apos; is not an image and is skipped.</source>
        <translation>「%1」は画像ではないため、スキップします。</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/readers/datasetreport.cpp" line="713"/>
        <source>%n files in the class folders are not images and are skipped, such as &apos;%1&apos;.</source>
        <translation>
            <numerusform>クラスのフォルダにある「%1」など %n 個のファイルは画像ではないため、スキップします。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="734"/>
        <source>Fashion-MNIST is not installed in %1: install the Debian package dataset-fashion-mnist.</source>
        <translation>Fashion-MNIST が %1 にインストールされていません。Debian パッケージ dataset-fashion-mnist をインストールしてください。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="753"/>
        <source>%1 is missing from %2: install the Debian package dataset-fashion-mnist.</source>
        <translation>%2 に %1 がありません。Debian パッケージ dataset-fashion-mnist をインストールしてください。</translation>
    </message>
    <message>
        <location filename="../core/readers/datasetreport.cpp" line="781"/>
        <source>%1 does not hold Fashion-MNIST labels.</source>
        <translation>%1 は Fashion-MNIST のラベルではありません。</translation>
    </message>
</context>
<context>
    <name>kiln::DevicePicker</name>
    <message>
        <location filename="../ui/devicepicker.cpp" line="28"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="31"/>
        <source>GPU %1: %2 (%3)</source>
        <translation>GPU %1: %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="32"/>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="34"/>
        <source>%1, compute capability %2.%3</source>
        <translation>%1、Compute Capability %2.%3</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="37"/>
        <source>No GPU: %1</source>
        <translation>GPU なし: %1</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="38"/>
        <source>The CPU or the GPU the run computes on</source>
        <translation>実行に使う CPU または GPU</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="79"/>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <location filename="../ui/devicepicker.cpp" line="81"/>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
</context>
<context>
    <name>kiln::ErrorOutputView</name>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="40"/>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="52"/>
        <source>line %1</source>
        <translation>%1 行目</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="53"/>
        <source>Go to line %1 of the cell</source>
        <translation>セルの %1 行目へ移動</translation>
    </message>
    <message>
        <location filename="../ui/erroroutputview.cpp" line="74"/>
        <source>Traceback</source>
        <translation>トレースバック</translation>
    </message>
</context>
<context>
    <name>kiln::FindBar</name>
    <message>
        <location filename="../ui/findbar.cpp" line="27"/>
        <source>Find</source>
        <translation>検索</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="30"/>
        <source>Replace with</source>
        <translation>置換後の文字列</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="31"/>
        <source>Match case</source>
        <translation>大文字と小文字を区別</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="32"/>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="33"/>
        <source>Replace</source>
        <translation>置換</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="34"/>
        <source>Replace All</source>
        <translation>すべて置換</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="35"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="102"/>
        <source>Not found</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <location filename="../ui/findbar.cpp" line="120"/>
        <source>Replace all</source>
        <translation>すべて置換</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/findbar.cpp" line="131"/>
        <source>%n replaced</source>
        <translation>
            <numerusform>%n 件置換しました</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kiln::HubPanel</name>
    <message>
        <location filename="../ui/hubpanel.cpp" line="37"/>
        <source>New Task Cell</source>
        <translation>新しいタスクセル</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="39"/>
        <source>Adds a Task cell that runs this model below the current cell</source>
        <translation>このモデルを実行するタスクセルを現在のセルの下に追加します</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="40"/>
        <source>Show Folder</source>
        <translation>フォルダーを表示</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="41"/>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="51"/>
        <source>search the Hub, e.g. MiniLM</source>
        <translation>Hub を検索（例: MiniLM）</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="54"/>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="62"/>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="65"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="116"/>
        <source>Models from the Hugging Face Hub, in its cache (%1), shared with Python&apos;s transformers. Search the Hub to download one.</source>
        <translation>Hugging Face Hub のモデル（キャッシュ: %1、Python の transformers と共有）。Hub を検索してダウンロードできます。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/hubpanel.cpp" line="127"/>
        <source>%1
%2 in %n snapshot(s); %3
Task: %4
%5</source>
        <translation>
            <numerusform>%1
%2（スナップショット %n 個）; %3
タスク: %4
%5</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="130"/>
        <source>not known from its files</source>
        <translation>ファイルからは不明</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="134"/>
        <source>%1 is no longer in the cache.</source>
        <translation>%1 はキャッシュにありません。</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="181"/>
        <source>Searching the Hub for “%1”…</source>
        <translation>Hub で「%1」を検索中…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="194"/>
        <source>%1 · %2 downloads</source>
        <translation>%1 · ダウンロード %2 回</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="195"/>
        <source>%1 · %2 · %3 downloads</source>
        <translation>%1 · %2 · ダウンロード %3 回</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/hubpanel.cpp" line="199"/>
        <source>%n model(s) found</source>
        <translation>
            <numerusform>%n 個のモデルが見つかりました</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="209"/>
        <source>Downloading %1…</source>
        <translation>%1 をダウンロード中…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="210"/>
        <source>Downloading %1 from the Hugging Face Hub…</source>
        <translation>Hugging Face Hub から %1 をダウンロード中…</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="223"/>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 / %3</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="226"/>
        <source>Downloading %1 — %2</source>
        <translation>%1 をダウンロード中 — %2</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="238"/>
        <source>%1 is in the cache: %2</source>
        <translation>%1 はキャッシュにあります: %2</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="256"/>
        <source>Delete Model</source>
        <translation>モデルを削除</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="257"/>
        <source>Delete %1 from the Hugging Face cache? Python&apos;s transformers uses the same cache.</source>
        <translation>%1 を Hugging Face キャッシュから削除しますか？ Python の transformers も同じキャッシュを使います。</translation>
    </message>
    <message>
        <location filename="../ui/hubpanel.cpp" line="266"/>
        <source>Deleted %1 (%2)</source>
        <translation>%1 を削除しました（%2）</translation>
    </message>
</context>
<context>
    <name>kiln::ImageOutputView</name>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="31"/>
        <source>The image could not be decoded.</source>
        <translation>画像をデコードできませんでした。</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="32"/>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 ピクセル</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="45"/>
        <source>&amp;Copy Image</source>
        <translation>画像をコピー(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="46"/>
        <source>&amp;Save Image…</source>
        <translation>画像を保存(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="47"/>
        <source>image</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="48"/>
        <location filename="../ui/imageoutputview.cpp" line="51"/>
        <source>Save Image</source>
        <translation>画像を保存</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="49"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="51"/>
        <source>Could not write %1.</source>
        <translation>%1 に書き込めませんでした。</translation>
    </message>
    <message>
        <location filename="../ui/imageoutputview.cpp" line="111"/>
        <source>[image could not be decoded]</source>
        <translation>[画像をデコードできませんでした]</translation>
    </message>
</context>
<context>
    <name>kiln::InferencePanel</name>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="103"/>
        <source>Choose model…</source>
        <translation>モデルを選択…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="105"/>
        <source>Choose a TorchScript model</source>
        <translation>TorchScript モデルを選択</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="101"/>
        <source>Drop a TorchScript model (.pt) or an AOTInductor package (.pt2) here, or choose one.</source>
        <translation>TorchScript モデル (.pt) または AOTInductor パッケージ (.pt2) をここにドロップするか、選択してください。</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="84"/>
        <source>Not loaded: %1</source>
        <translation>読み込みませんでした: %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="106"/>
        <source>Models (*.pt *.pth *.pt2)</source>
        <translation>モデル (*.pt *.pth *.pt2)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="117"/>
        <source>A model from the notebook&apos;s runtime</source>
        <translation>ノートブックのランタイムにあるモデル</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="120"/>
        <source>The shape of one example input, to trace the model with</source>
        <translation>モデルをトレースするための入力例の形</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="121"/>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="122"/>
        <source>From the notebook:</source>
        <translation>ノートブックから:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="140"/>
        <source>Images, folders of images, CSV files (a row per sample) or tensors saved with torch.save</source>
        <translation>画像、画像フォルダ、CSV ファイル (1 行 1 サンプル)、または torch.save で保存したテンソル</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="142"/>
        <source>Inputs (drop files or folders here):</source>
        <translation>入力 (ファイルやフォルダをここにドロップ):</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="154"/>
        <source>Add files…</source>
        <translation>ファイルを追加…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="155"/>
        <source>Add folder…</source>
        <translation>フォルダを追加…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="156"/>
        <source>Clear</source>
        <translation>クリア</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="162"/>
        <source>Add inputs</source>
        <translation>入力を追加</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="163"/>
        <source>Inputs (*.png *.jpg *.jpeg *.bmp *.csv *.tsv *.pt);;All files (*)</source>
        <translation>入力 (*.png *.jpg *.jpeg *.bmp *.csv *.tsv *.pt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="166"/>
        <source>Add a folder of images</source>
        <translation>画像フォルダを追加</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="179"/>
        <source>own size, or e.g. 28x28</source>
        <translation>元のサイズ、または例: 28x28</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="182"/>
        <source>As the image is</source>
        <translation>画像のまま</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="183"/>
        <source>Grayscale</source>
        <translation>グレースケール</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="184"/>
        <source>RGB</source>
        <translation>RGB</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="187"/>
        <source>A number or a fraction, e.g. 1/255</source>
        <translation>数値または分数 (例: 1/255)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="196"/>
        <source>Resize to</source>
        <translation>リサイズ</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="197"/>
        <source>Colour</source>
        <translation>色</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="198"/>
        <source>Scale</source>
        <translation>スケール</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="199"/>
        <source>Mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="200"/>
        <source>Std</source>
        <translation>標準偏差</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="203"/>
        <source>all numeric columns, or e.g. x1, x2, x3</source>
        <translation>すべての数値列、または例: x1, x2, x3</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="204"/>
        <source>CSV columns</source>
        <translation>CSV の列</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="205"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="206"/>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="209"/>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="212"/>
        <source>Class labels, one per line (or drop a .txt file)</source>
        <translation>クラスラベル (1 行に 1 つ、または .txt ファイルをドロップ)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="233"/>
        <source>Task:</source>
        <translation>タスク:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="236"/>
        <source>labels to choose from, separated by commas</source>
        <translation>選択肢のラベル（カンマ区切り）</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="237"/>
        <source>Labels:</source>
        <translation>ラベル:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="241"/>
        <source>Top k:</source>
        <translation>上位 k:</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="246"/>
        <source>Use a TorchScript Model</source>
        <translation>TorchScript モデルを使う</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="254"/>
        <source>Image files, one a line (or drop them here)</source>
        <translation>画像ファイル（1 行に 1 つ、またはここにドロップ）</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="254"/>
        <source>Texts, one a line</source>
        <translation>テキスト（1 行に 1 つ）</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="263"/>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="264"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="265"/>
        <source>Export CSV…</source>
        <translation>CSV をエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="277"/>
        <source>Export predictions</source>
        <translation>予測をエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="279"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="281"/>
        <source>Cannot write %1</source>
        <translation>%1 に書き込めません</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="312"/>
        <source>Reading %1 in a separate process first...</source>
        <translation>まず別プロセスで %1 を読み取っています...</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="317"/>
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="330"/>
        <source>Expects %1</source>
        <translation>入力の形: %1</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="332"/>
        <source>forward(%1): the inputs below go to %2</source>
        <translation>forward(%1): 下の入力は %2 に渡されます</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="338"/>
        <source>a CSV file or a torch.save tensor</source>
        <translation>CSV ファイルまたは torch.save のテンソル</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="339"/>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="343"/>
        <source>Choose an input</source>
        <translation>入力を選択</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="344"/>
        <source>Inputs (*.csv *.tsv *.pt);;All files (*)</source>
        <translation>入力 (*.csv *.tsv *.pt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="417"/>
        <source>%1 · %2×%3</source>
        <translation>%1 · %2×%3</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="555"/>
        <source>Hugging Face model %1: choose its task.</source>
        <translation>Hugging Face モデル %1: タスクを選んでください。</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="556"/>
        <source>Hugging Face model %1</source>
        <translation>Hugging Face モデル %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inferencepanel.cpp" line="613"/>
        <source>Running %1 on %n input(s)…</source>
        <translation>
            <numerusform>%1 を %n 件の入力で実行中…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/inferencepanel.cpp" line="641"/>
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 件の結果</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="666"/>
        <source>Loading the model…</source>
        <translation>モデルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="697"/>
        <source>%1 of %2 samples, %3 samples/s</source>
        <translation>%2 サンプル中 %1、%3 サンプル/秒</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="628"/>
        <location filename="../ui/inferencepanel.cpp" line="725"/>
        <source>Cancelled</source>
        <translation>キャンセルしました</translation>
    </message>
    <message>
        <location filename="../ui/inferencepanel.cpp" line="731"/>
        <source>%1 samples in %2 s (%3 samples/s)</source>
        <translation>%1 サンプルを %2 秒で処理 (%3 サンプル/秒)</translation>
    </message>
</context>
<context>
    <name>kiln::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="604"/>
        <source>Runtime: idle</source>
        <translation>ランタイム: 待機中</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="115"/>
        <location filename="../ui/mainwindowfiles.cpp" line="170"/>
        <source>Untitled notebook</source>
        <translation>無題のノートブック</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="181"/>
        <source>Runtime restarted: every cell that ran is now stale</source>
        <translation>ランタイムを再起動しました: 実行済みのセルはすべて要再実行です</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="185"/>
        <source>%1. Every cell that ran is now stale; the next run starts a fresh runtime.</source>
        <translation>%1。実行済みのセルはすべて古くなりました。次の実行で新しいランタイムが起動します。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>The cell did not stop within %1 s of Interrupt. Force Stop ends its runtime; its variables are lost.</source>
        <translation>中断から %1 秒以内にセルが停止しませんでした。強制停止するとランタイムが終了し、変数は失われます。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="194"/>
        <source>Not responding to Interrupt</source>
        <translation>中断に応答しません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="230"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="231"/>
        <source>&amp;New</source>
        <translation>新規(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="233"/>
        <source>&amp;Open…</source>
        <translation>開く(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="235"/>
        <source>Open &amp;Recent</source>
        <translation>最近使ったファイル(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="236"/>
        <source>E&amp;xamples</source>
        <translation>サンプル(&amp;X)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="246"/>
        <source>&amp;Welcome Page</source>
        <translation>ようこそページ(&amp;W)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="249"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="251"/>
        <source>Save &amp;As…</source>
        <translation>名前を付けて保存(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="255"/>
        <source>Save &amp;with Outputs</source>
        <translation>出力と一緒に保存(&amp;W)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="260"/>
        <source>&amp;Keep Outputs in the File</source>
        <translation>出力をファイルに残す(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="262"/>
        <source>Save each cell&apos;s outputs with the notebook (as HTML comments Markdown viewers hide)</source>
        <translation>各セルの出力をノートブックと一緒に保存します (Markdown ビューアーが隠す HTML コメントとして)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="271"/>
        <source>&amp;Export as Markdown with Outputs…</source>
        <translation>出力付きで Markdown にエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="274"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="277"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="278"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="281"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="287"/>
        <source>&amp;Preferences...</source>
        <translation>設定(&amp;P)...</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="292"/>
        <source>Insert Code Cell &amp;Above</source>
        <translation>上にコードセルを挿入(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="294"/>
        <source>Insert Code Cell &amp;Below</source>
        <translation>下にコードセルを挿入(&amp;B)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="296"/>
        <source>Insert &amp;Markdown Cell Below</source>
        <translation>下に Markdown セルを挿入(&amp;M)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="298"/>
        <source>Insert &amp;Section Below</source>
        <translation>下にセクションを挿入(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="300"/>
        <source>Insert &amp;Task Cell Below</source>
        <translation>下にタスクセルを挿入(&amp;T)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="302"/>
        <source>&amp;Delete Cell</source>
        <translation>セルを削除(&amp;D)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="305"/>
        <source>Restore Deleted &amp;Cell</source>
        <translation>削除したセルを復元(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="307"/>
        <source>Move Cell &amp;Up</source>
        <translation>セルを上へ移動(&amp;U)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="309"/>
        <source>Move Cell Do&amp;wn</source>
        <translation>セルを下へ移動(&amp;W)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="312"/>
        <source>S&amp;plit Cell at Cursor</source>
        <translation>カーソル位置でセルを分割(&amp;P)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="315"/>
        <source>Merge with &amp;Next Cell</source>
        <translation>次のセルと結合(&amp;N)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="318"/>
        <source>Convert to C&amp;ode</source>
        <translation>コードに変換(&amp;O)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="320"/>
        <source>Convert to Mar&amp;kdown</source>
        <translation>Markdown に変換(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="323"/>
        <source>&amp;Find and Replace…</source>
        <translation>検索と置換(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="326"/>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="327"/>
        <source>Run &amp;Cell</source>
        <translation>セルを実行(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="330"/>
        <source>Run Cell and &amp;Advance</source>
        <translation>セルを実行して次へ(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="336"/>
        <source>Run &amp;All</source>
        <translation>すべて実行(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="338"/>
        <source>Run All &amp;Stale</source>
        <translation>要再実行のセルをすべて実行(&amp;S)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="342"/>
        <source>&amp;Interrupt</source>
        <translation>中断(&amp;I)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="348"/>
        <source>&amp;Force Stop</source>
        <translation>強制停止(&amp;F)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="349"/>
        <source>End the runtime of a cell that does not answer Interrupt (its variables are lost)</source>
        <translation>中断に応答しないセルのランタイムを終了します(変数は失われます)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="351"/>
        <source>&amp;Restart Runtime</source>
        <translation>ランタイムを再起動(&amp;R)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="353"/>
        <source>Restart and Run A&amp;ll</source>
        <translation>再起動してすべて実行(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="356"/>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="359"/>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="362"/>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="374"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="374"/>
        <source>Kiln will use the new language from its next start.</source>
        <translation>新しい言語は Kiln の次回起動時から使われます。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="379"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="380"/>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="383"/>
        <source>&amp;About Kiln</source>
        <translation>Kiln について(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="389"/>
        <source>Open</source>
        <translation>開く</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="389"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="390"/>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="390"/>
        <source>Run All</source>
        <translation>すべて実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="391"/>
        <source>Run Stale</source>
        <translation>要再実行を実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="391"/>
        <source>Interrupt</source>
        <translation>中断</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="392"/>
        <location filename="../ui/mainwindowcells.cpp" line="179"/>
        <source>Restart</source>
        <translation>再起動</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="396"/>
        <source>Notebook</source>
        <translation>ノートブック</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="412"/>
        <source>Outline</source>
        <translation>アウトライン</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="466"/>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="493"/>
        <source>Training</source>
        <translation>トレーニング</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="502"/>
        <source>Inference</source>
        <translation>推論</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="505"/>
        <source>Variables</source>
        <translation>変数</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="573"/>
        <source>GPU memory held by the training and inference panels&apos; tensors</source>
        <translation>学習パネルと推論パネルのテンソルが使用している GPU メモリ</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="601"/>
        <source>Runtime: starting</source>
        <translation>ランタイム: 起動中</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="610"/>
        <source>Runtime: busy, %n queued</source>
        <translation>
            <numerusform>ランタイム: 実行中、%n 件待機中</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="616"/>
        <source>code cell %1 running for %2 s</source>
        <translation>コードセル %1 を実行中 (%2 秒)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="623"/>
        <source>Memory: %1 MB, runtime %2 MB</source>
        <translation>メモリ: %1 MB、ランタイム %2 MB</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="625"/>
        <source>Memory: %1 MB</source>
        <translation>メモリ: %1 MB</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="626"/>
        <source>Resident memory of the window and of the notebook&apos;s runtime process</source>
        <translation>ウィンドウとノートブックのランタイムプロセスの常駐メモリ</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="631"/>
        <source>Sandboxed</source>
        <translation>サンドボックス有効</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="631"/>
        <source>No sandbox</source>
        <translation>サンドボックスなし</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="644"/>
        <source>GPU %1: %2</source>
        <translation>GPU %1: %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="60"/>
        <source>No recent notebooks</source>
        <translation>最近使ったノートブックはありません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="68"/>
        <source>Cannot open notebook</source>
        <translation>ノートブックを開けません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="81"/>
        <source>Cannot open the example</source>
        <translation>サンプルを開けません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="139"/>
        <source>Recover notebook</source>
        <translation>ノートブックの復元</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="140"/>
        <source>Kiln closed without saving &quot;%1&quot; (last autosaved %2). Recover the unsaved changes?</source>
        <translation>Kiln は「%1」を保存せずに終了しました (最終自動保存: %2)。未保存の変更を復元しますか?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="147"/>
        <source>Cannot recover notebook</source>
        <translation>ノートブックを復元できません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="187"/>
        <source>Cannot save notebook</source>
        <translation>ノートブックを保存できません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="192"/>
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="198"/>
        <source>Save notebook</source>
        <translation>ノートブックを保存</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="199"/>
        <source>Kiln notebooks (*.kiln.md)</source>
        <translation>Kiln ノートブック (*.kiln.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="213"/>
        <source>Unsaved changes</source>
        <translation>未保存の変更</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="214"/>
        <source>Save the changes to this notebook?</source>
        <translation>このノートブックへの変更を保存しますか?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="225"/>
        <source>Open notebook</source>
        <translation>ノートブックを開く</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="226"/>
        <source>Kiln notebooks (*.kiln.md);;Markdown (*.md)</source>
        <translation>Kiln ノートブック (*.kiln.md);;Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="236"/>
        <source>Export as Markdown</source>
        <translation>Markdown にエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="237"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="243"/>
        <source>Cannot export</source>
        <translation>エクスポートできません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="246"/>
        <source>Exported %1</source>
        <translation>%1 をエクスポートしました</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="303"/>
        <location filename="../ui/mainwindowfiles.cpp" line="346"/>
        <source>Train a model on it (Training panel)</source>
        <translation>これでモデルを学習 (学習パネル)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="304"/>
        <source>Load it in a new cell</source>
        <translation>新しいセルで読み込む</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="317"/>
        <source>Show its report in a new cell (columns, classes, problems)</source>
        <translation>新しいセルにレポートを表示 (列、クラス、問題点)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="326"/>
        <source>Inspect it (Models)</source>
        <translation>調べる (モデル)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="330"/>
        <source>Run inference with it</source>
        <translation>これで推論を実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="336"/>
        <source>Insert code that loads it</source>
        <translation>読み込むコードを挿入</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="338"/>
        <source>Classify with a model (Inference panel)</source>
        <translation>モデルで分類 (推論パネル)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="343"/>
        <source>Load it as a dataset (one subfolder per class)</source>
        <translation>データセットとして読み込む (クラスごとにサブフォルダー)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="348"/>
        <source>Show it in a new cell</source>
        <translation>新しいセルで表示</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowfiles.cpp" line="372"/>
        <source>Kiln does not know what to do with %1</source>
        <translation>Kiln は %1 の扱い方を知りません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="37"/>
        <source>New section</source>
        <translation>新しいセクション</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="62"/>
        <source>Cell deleted; press z or Edit &gt; Restore Deleted Cell to bring it back</source>
        <translation>セルを削除しました。z キーまたは [編集] &gt; [削除したセルを復元] で元に戻せます</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="102"/>
        <source>Split cell</source>
        <translation>セルを分割</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="115"/>
        <source>Merge cells</source>
        <translation>セルを結合</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="167"/>
        <source>No stale cells</source>
        <translation>要再実行のセルはありません</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="174"/>
        <source>Restart the runtime?</source>
        <translation>ランタイムを再起動しますか?</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="175"/>
        <source>Restarting forgets every variable the notebook made. The cells that ran stay on the page but become stale until they run again.</source>
        <translation>再起動すると、ノートブックが作ったすべての変数が失われます。実行済みのセルはそのまま残りますが、再実行するまで古い状態になります。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="181"/>
        <source>Don&apos;t ask again</source>
        <translation>今後は確認しない</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowqueries.cpp" line="78"/>
        <source>Cannot trace the notebook model: %1</source>
        <translation>ノートブックのモデルをトレースできません: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowqueries.cpp" line="104"/>
        <source>Not shown: the queue of cells was cancelled. Select the variable again.</source>
        <translation>表示できません: セルの実行待ちが取り消されました。変数をもう一度選んでください。</translation>
    </message>
    <message>
        <location filename="../ui/mainwindowcells.cpp" line="257"/>
        <source>[... earlier output dropped ...]
</source>
        <translation>[... 以前の出力は省略されました ...]
</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="708"/>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="712"/>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="712"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="714"/>
        <source>Shift+Enter</source>
        <translation>Shift+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="714"/>
        <source>Run the cell and move to the next one</source>
        <translation>セルを実行して次のセルへ移動</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="715"/>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="715"/>
        <source>Run the cell</source>
        <translation>セルを実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="716"/>
        <source>Ctrl+Shift+Enter</source>
        <translation>Ctrl+Shift+Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="716"/>
        <source>Run all stale cells</source>
        <translation>要再実行のセルをすべて実行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="717"/>
        <source>Ctrl+.</source>
        <translation>Ctrl+.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="717"/>
        <source>Interrupt the running cell</source>
        <translation>実行中のセルを中断</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="718"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="718"/>
        <source>Leave the editor (navigation mode)</source>
        <translation>エディターを抜ける (ナビゲーションモード)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="719"/>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="719"/>
        <source>Edit the selected cell</source>
        <translation>選択したセルを編集</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="720"/>
        <source>j / k, Down / Up</source>
        <translation>j / k、↓ / ↑</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="720"/>
        <source>Select the next / previous cell</source>
        <translation>次 / 前のセルを選択</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="721"/>
        <source>a / b</source>
        <translation>a / b</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="721"/>
        <source>Insert a code cell above / below</source>
        <translation>上 / 下にコードセルを挿入</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="722"/>
        <source>m / y</source>
        <translation>m / y</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="722"/>
        <source>Turn the cell into Markdown / code</source>
        <translation>セルを Markdown / コードに変換</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="723"/>
        <source>d d</source>
        <translation>d d</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="723"/>
        <source>Delete the cell</source>
        <translation>セルを削除</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="724"/>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="724"/>
        <source>Restore the last deleted cell</source>
        <translation>最後に削除したセルを復元</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="725"/>
        <source>Alt+Up / Alt+Down</source>
        <translation>Alt+↑ / Alt+↓</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="725"/>
        <source>Move the cell up / down</source>
        <translation>セルを上 / 下へ移動</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="726"/>
        <source>Ctrl+Shift+-</source>
        <translation>Ctrl+Shift+-</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="726"/>
        <source>Split the cell at the cursor</source>
        <translation>カーソル位置でセルを分割</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="727"/>
        <source>Ctrl+Z / Ctrl+Shift+Z</source>
        <translation>Ctrl+Z / Ctrl+Shift+Z</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="727"/>
        <source>Undo / redo any edit</source>
        <translation>編集を元に戻す / やり直す</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="728"/>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="728"/>
        <source>Find and replace in the notebook</source>
        <translation>ノートブック内を検索して置換</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="749"/>
        <source>About Kiln</source>
        <translation>Kiln について</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="750"/>
        <source>&lt;h3&gt;Kiln %1&lt;/h3&gt;&lt;p&gt;A local machine-learning workbench: notebooks of Lua cells on libtorch.&lt;/p&gt;&lt;pre&gt;%2&lt;/pre&gt;</source>
        <translation>&lt;h3&gt;Kiln %1&lt;/h3&gt;&lt;p&gt;ローカルで動く機械学習ワークベンチ: libtorch 上で動く Lua セルのノートブック。&lt;/p&gt;&lt;pre&gt;%2&lt;/pre&gt;</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="604"/>
        <location filename="../ui/mainwindow.cpp" line="610"/>
        <source>Runtime: busy</source>
        <translation>ランタイム: 実行中</translation>
    </message>
</context>
<context>
    <name>kiln::ModelBrowser</name>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="64"/>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="66"/>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="67"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="132"/>
        <source>Built-in architectures</source>
        <translation>組み込みアーキテクチャ</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="138"/>
        <source>Notebook models</source>
        <translation>ノートブックのモデル</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="139"/>
        <source>Modules held by the notebook&apos;s globals, as of its last run</source>
        <translation>ノートブックのグローバル変数にあるモジュール (最後の実行時点)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="140"/>
        <source>Model library</source>
        <translation>モデルライブラリ</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="142"/>
        <source>Hugging Face Hub</source>
        <translation>Hugging Face Hub</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="156"/>
        <location filename="../ui/modelbrowser.cpp" line="439"/>
        <source>Pick an architecture to set it up, or drop model files here to add them to the library.</source>
        <translation>アーキテクチャを選んで設定するか、モデルファイルをここにドロップしてライブラリに追加します。</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="172"/>
        <source>Insert code</source>
        <translation>コードを挿入</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="174"/>
        <source>Adds a code cell that builds this model below the current cell</source>
        <translation>このモデルを作るコードセルを現在のセルの下に追加します</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="175"/>
        <source>Train…</source>
        <translation>学習…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="177"/>
        <source>Hands this architecture to the training panel</source>
        <translation>このアーキテクチャを学習パネルに渡します</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="182"/>
        <source>Send to inference</source>
        <translation>推論に送る</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="188"/>
        <source>Copy summary</source>
        <translation>概要をコピー</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="191"/>
        <source>Add folder…</source>
        <translation>フォルダを追加…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="192"/>
        <source>List the model files of another folder here too</source>
        <translation>別のフォルダのモデルファイルもここに表示します</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="194"/>
        <source>Add a folder of models</source>
        <translation>モデルフォルダを追加</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="207"/>
        <source>input shape, e.g. 1,1,28,28; several inputs: 1,4;1,4</source>
        <translation>入力の形 (例: 1,1,28,28; 複数の入力: 1,4;1,4)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="208"/>
        <source>One shape per input of forward, separated by &apos;;&apos;; the inputs are zeros</source>
        <translation>forward の入力ごとに 1 つの形を &apos;;&apos; で区切って指定します。入力はゼロです</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="209"/>
        <source>Try forward</source>
        <translation>forward を試す</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="251"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="302"/>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/modelbrowser.cpp" line="380"/>
        <source>%n parameters</source>
        <translation>
            <numerusform>パラメータ %n 個</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="408"/>
        <source>%1, a %2 in the notebook, %3 parameters</source>
        <translation>%1 (ノートブック内の %2、パラメータ %3 個)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="433"/>
        <source>%1
%2, modified %3</source>
        <translation>%1
%2、更新 %3</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="436"/>
        <source>Reading the model…</source>
        <translation>モデルを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="455"/>
        <source>%1 — %2
Input: %3</source>
        <translation>%1 — %2
入力: %3</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="527"/>
        <source>Kiln could not read this file.</source>
        <translation>Kiln はこのファイルを読み込めませんでした。</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="549"/>
        <source>Format: %1</source>
        <translation>形式: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="552"/>
        <source>Producer: %1</source>
        <translation>作成元: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="553"/>
        <source>Parameters: %1 (%2)</source>
        <translation>パラメータ: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="558"/>
        <source>Forward: %1</source>
        <translation>forward: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="561"/>
        <source>Methods:</source>
        <translation>メソッド:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="568"/>
        <source>Modules:</source>
        <translation>モジュール:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="575"/>
        <source>Parameters and buffers:</source>
        <translation>パラメータとバッファ:</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="584"/>
        <source>  (buffer)</source>
        <translation>  (バッファ)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="606"/>
        <source>Give the input shapes, e.g. 1,1,28,28</source>
        <translation>入力の形を指定してください (例: 1,1,28,28)</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="621"/>
        <source>Try forward takes up to 16 million input numbers; use a smaller batch</source>
        <translation>forward の試行は入力値 1,600 万個までです。バッチを小さくしてください</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="645"/>
        <location filename="../ui/modelbrowser.cpp" line="711"/>
        <source>Forward failed: %1</source>
        <translation>forward に失敗しました: %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="649"/>
        <source>Output %1</source>
        <translation>出力 %1</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="657"/>
        <source>Running forward…</source>
        <translation>forward を実行しています…</translation>
    </message>
    <message>
        <location filename="../ui/modelbrowser.cpp" line="707"/>
        <source>Inputs forward takes: %1; shapes given: %2. Give one shape per input, separated by &apos;;&apos;</source>
        <translation>forward の入力数: %1、指定された形: %2。入力ごとに 1 つの形を &apos;;&apos; で区切って指定してください</translation>
    </message>
</context>
<context>
    <name>kiln::ModelVetting</name>
    <message>
        <location filename="../core/kernel/modelvetting.cpp" line="115"/>
        <source>Kiln could not read %1 (its reader stopped with status %2)</source>
        <translation>Kiln は %1 を読み取れませんでした(読み取りプロセスの終了ステータス %2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/modelvetting.cpp" line="124"/>
        <source>Kiln could not start its model reader %1</source>
        <translation>Kiln はモデル読み取りプログラム %1 を起動できませんでした</translation>
    </message>
</context>
<context>
    <name>kiln::Notebook</name>
    <message>
        <location filename="../core/document/notebook.cpp" line="17"/>
        <source>Change title</source>
        <translation>タイトルを変更</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="31"/>
        <source>Insert cell</source>
        <translation>セルを挿入</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="46"/>
        <source>Delete cell</source>
        <translation>セルを削除</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="61"/>
        <source>Move cell</source>
        <translation>セルを移動</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="75"/>
        <source>Edit cell</source>
        <translation>セルを編集</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="109"/>
        <source>Change cell type</source>
        <translation>セルの種類を変更</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="125"/>
        <source>Change cell options</source>
        <translation>セルのオプションを変更</translation>
    </message>
    <message>
        <location filename="../core/document/notebook.cpp" line="141"/>
        <source>Change notebook settings</source>
        <translation>ノートブックの設定を変更</translation>
    </message>
</context>
<context>
    <name>kiln::NotebookView</name>
    <message>
        <location filename="../ui/notebookview.cpp" line="34"/>
        <source>Untitled notebook</source>
        <translation>無題のノートブック</translation>
    </message>
    <message>
        <location filename="../ui/notebookview.cpp" line="35"/>
        <source>The notebook&apos;s title: click to edit</source>
        <translation>ノートブックのタイトル: クリックして編集</translation>
    </message>
</context>
<context>
    <name>kiln::OutputView</name>
    <message>
        <location filename="../ui/outputview.cpp" line="61"/>
        <source>tensor · shape [%1] · %2</source>
        <translation>テンソル · 形状 [%1] · %2</translation>
    </message>
    <message>
        <location filename="../ui/outputview.cpp" line="64"/>
        <source> · requires grad</source>
        <translation> · 勾配計算あり</translation>
    </message>
</context>
<context>
    <name>kiln::PlotView</name>
    <message>
        <location filename="../ui/plotview.cpp" line="509"/>
        <source>Smoothing</source>
        <translation>平滑化</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="513"/>
        <source>Exponential moving average weight, as in TensorBoard</source>
        <translation>指数移動平均の重み (TensorBoard と同じ)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="519"/>
        <source>Log y</source>
        <translation>y 軸を対数</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="522"/>
        <location filename="../ui/plotview.cpp" line="855"/>
        <source>Reset view</source>
        <translation>表示をリセット</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="523"/>
        <source>Fit the axes to the data again (or double-click the plot)</source>
        <translation>軸をデータに合わせ直す (またはプロットをダブルクリック)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="836"/>
        <location filename="../ui/plotview.cpp" line="851"/>
        <source>Could not write %1.</source>
        <translation>%1 に書き込めませんでした。</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="840"/>
        <source>Export PNG...</source>
        <translation>PNG としてエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="841"/>
        <source>Export PNG</source>
        <translation>PNG としてエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="841"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="843"/>
        <source>Export PDF...</source>
        <translation>PDF としてエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="844"/>
        <source>Export PDF</source>
        <translation>PDF としてエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="844"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文書 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="846"/>
        <source>Export data as CSV...</source>
        <translation>データを CSV としてエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="847"/>
        <source>Export data as CSV</source>
        <translation>データを CSV としてエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="849"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="853"/>
        <source>Copy image</source>
        <translation>画像をコピー</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="884"/>
        <source>%1 (raw %2)</source>
        <translation>%1 (生の値 %2)</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="886"/>
        <location filename="../ui/plotview.cpp" line="893"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/plotview.cpp" line="893"/>
        <source>x</source>
        <translation>x</translation>
    </message>
</context>
<context>
    <name>kiln::PreferencesDialog</name>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="25"/>
        <source>Preferences</source>
        <translation>設定</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="28"/>
        <source>Notebook runtime</source>
        <translation>ノートブックのランタイム</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="33"/>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="34"/>
        <source>No limit</source>
        <translation>制限なし</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="36"/>
        <source>The runtime is ended, and the running cell told why, when its memory passes this</source>
        <translation>メモリがこの値を超えるとランタイムを終了し、実行中のセルに理由を表示します</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="37"/>
        <source>Memory limit:</source>
        <translation>メモリ上限:</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="41"/>
        <source>Folders notebook code may write to</source>
        <translation>ノートブックのコードが書き込めるフォルダー</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="44"/>
        <source>Notebook code may read any file you can. It may write only to the notebook&apos;s folder, Kiln&apos;s data and cache folders, the Hugging Face cache, the temporary folder, and these folders:</source>
        <translation>ノートブックのコードはあなたが読めるファイルをすべて読めます。書き込めるのは、ノートブックのフォルダー、Kiln のデータとキャッシュのフォルダー、Hugging Face のキャッシュ、一時フォルダー、そして次のフォルダーだけです:</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="53"/>
        <source>Add Folder...</source>
        <translation>フォルダーを追加...</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="54"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="63"/>
        <source>The runtime has not started yet.</source>
        <translation>ランタイムはまだ起動していません。</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="70"/>
        <source>Changes take effect when the runtime next starts (Run &gt; Restart Runtime).</source>
        <translation>変更は次にランタイムが起動したときに反映されます(実行 &gt; ランタイムを再起動)。</translation>
    </message>
    <message>
        <location filename="../ui/preferencesdialog.cpp" line="102"/>
        <source>Let notebook code write to</source>
        <translation>ノートブックのコードの書き込み先</translation>
    </message>
</context>
<context>
    <name>kiln::Runtime</name>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="233"/>
        <source>interrupted: the runtime was restarted</source>
        <translation>中断: ランタイムが再起動されました</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="243"/>
        <source>stopped: the cell did not answer Interrupt, so its runtime was ended (Force Stop)</source>
        <translation>停止: セルが中断に応答しなかったため、ランタイムを終了しました(強制停止)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="269"/>
        <source>the runtime could not start: no local socket (%1)</source>
        <translation>ランタイムを起動できません: ローカルソケットがありません(%1)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="294"/>
        <source>the runtime could not start: %1 (%2)</source>
        <translation>ランタイムを起動できません: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="299"/>
        <source>the runtime did not start within %1 s</source>
        <translation>ランタイムが %1 秒以内に起動しませんでした</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="332"/>
        <source>the runtime stopped: it sent a malformed message (%1)</source>
        <translation>ランタイムが停止しました: 不正なメッセージを送信しました(%1)</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="344"/>
        <source>the runtime stopped: it did not introduce itself</source>
        <translation>ランタイムが停止しました: 最初の挨拶がありませんでした</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="348"/>
        <source>the runtime speaks protocol %1, this Kiln speaks %2; reinstall Kiln</source>
        <translation>ランタイムのプロトコルは %1、この Kiln は %2 です。Kiln を再インストールしてください</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="373"/>
        <location filename="../core/kernel/runtime.cpp" line="388"/>
        <source>the runtime stopped: it sent %1</source>
        <translation>ランタイムが停止しました: 次を送信しました: %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="403"/>
        <source>the runtime stopped: %1</source>
        <translation>ランタイムが停止しました: %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="405"/>
        <source>the runtime stopped: it exited with status %1</source>
        <translation>ランタイムが停止しました: 終了ステータス %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="407"/>
        <source>; it held %1 at the last look</source>
        <translation>。最後の確認時の使用量は %1</translation>
    </message>
    <message>
        <location filename="../core/kernel/runtime.cpp" line="549"/>
        <source>the runtime stopped: out of memory (it used %1, over the limit of %2 set in Preferences)</source>
        <translation>ランタイムが停止しました: メモリ不足(使用量 %1、設定の上限 %2 を超えました)</translation>
    </message>
</context>
<context>
    <name>kiln::SandboxStatus</name>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="92"/>
        <source>Sandbox: writes limited to the notebook&apos;s folder, Kiln&apos;s folders, the Hub cache, the temp folder and the folders granted in Preferences (Landlock ABI %1, seccomp)</source>
        <translation>サンドボックス: 書き込めるのはノートブックのフォルダー、Kiln のフォルダー、Hub キャッシュ、一時フォルダー、設定で許可したフォルダーだけです (Landlock ABI %1、seccomp)</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="97"/>
        <source>Sandbox: writes limited to the notebook&apos;s folder, Kiln&apos;s folders, the Hub cache, the temp folder and the folders granted in Preferences (Landlock ABI %1; no seccomp: %2)</source>
        <translation>サンドボックス: 書き込めるのはノートブックのフォルダー、Kiln のフォルダー、Hub キャッシュ、一時フォルダー、設定で許可したフォルダーだけです (Landlock ABI %1、seccomp なし: %2)</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="107"/>
        <source>No sandbox: %1; notebook code can write wherever you can</source>
        <translation>サンドボックスなし: %1。ノートブックのコードはあなたが書き込める場所ならどこにでも書き込めます</translation>
    </message>
    <message>
        <location filename="../core/kernel/sandbox.cpp" line="111"/>
        <source> (seccomp still refuses running programs)</source>
        <translation> (プログラムの実行は seccomp が引き続き拒否します)</translation>
    </message>
</context>
<context>
    <name>kiln::TableOutputView</name>
    <message numerus="yes">
        <location filename="../ui/tableoutputview.cpp" line="72"/>
        <source>first %1 of %n rows</source>
        <translation>
            <numerusform>%n 行中の先頭 %1 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="73"/>
        <source>1 row</source>
        <translation>1 行</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/tableoutputview.cpp" line="74"/>
        <source>%n rows</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="79"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="116"/>
        <location filename="../ui/tableoutputview.cpp" line="217"/>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="124"/>
        <source>Show each row&apos;s shares (recall per class)</source>
        <translation>行ごとの割合を表示 (クラスごとの再現率)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="219"/>
        <source>Select &amp;All</source>
        <translation>すべて選択(&amp;A)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="221"/>
        <source>&amp;Export CSV…</source>
        <translation>CSV としてエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="230"/>
        <source>table</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="231"/>
        <location filename="../ui/tableoutputview.cpp" line="236"/>
        <source>Export Table as CSV</source>
        <translation>表を CSV としてエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="232"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV ファイル (*.csv);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../ui/tableoutputview.cpp" line="236"/>
        <source>Could not write %1.</source>
        <translation>%1 に書き込めませんでした。</translation>
    </message>
</context>
<context>
    <name>kiln::TaskCell</name>
    <message>
        <location filename="../core/document/taskcell.cpp" line="17"/>
        <source>Text embedding</source>
        <translation>テキスト埋め込み</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="22"/>
        <source>Text classification</source>
        <translation>テキスト分類</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="26"/>
        <source>Named entities</source>
        <translation>固有表現</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="29"/>
        <source>Fill the mask</source>
        <translation>マスク穴埋め</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="33"/>
        <source>Zero-shot classification</source>
        <translation>ゼロショット分類</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="36"/>
        <source>Text generation</source>
        <translation>テキスト生成</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="39"/>
        <source>Image classification</source>
        <translation>画像分類</translation>
    </message>
    <message>
        <location filename="../core/document/taskcell.cpp" line="41"/>
        <source>Zero-shot image classification</source>
        <translation>ゼロショット画像分類</translation>
    </message>
</context>
<context>
    <name>kiln::TaskForm</name>
    <message>
        <location filename="../ui/taskform.cpp" line="47"/>
        <source>&amp;Task:</source>
        <translation>タスク(&amp;T):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="53"/>
        <source>A model on the Hugging Face Hub (ORG/NAME) or a folder with its files</source>
        <translation>Hugging Face Hub のモデル（ORG/NAME）またはそのファイルのフォルダー</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="54"/>
        <source>&amp;Model:</source>
        <translation>モデル(&amp;M):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="60"/>
        <source>&amp;Input:</source>
        <translation>入力(&amp;I):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="67"/>
        <source>an image file</source>
        <translation>画像ファイル</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="68"/>
        <source>&amp;Browse…</source>
        <translation>参照(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="72"/>
        <source>Choose an Image</source>
        <translation>画像を選択</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="73"/>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>画像 (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="77"/>
        <source>I&amp;mage:</source>
        <translation>画像(&amp;M):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="81"/>
        <source>The labels to choose from, separated by commas</source>
        <translation>選択肢のラベル（カンマ区切り）</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="82"/>
        <source>&amp;Labels:</source>
        <translation>ラベル(&amp;L):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="87"/>
        <source>Top &amp;k:</source>
        <translation>上位 k(&amp;K):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="92"/>
        <source>New &amp;tokens:</source>
        <translation>新規トークン(&amp;T):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="93"/>
        <source>&amp;Sample (otherwise the likeliest token each time)</source>
        <translation>サンプリング(&amp;S)（しない場合は毎回最も確率の高いトークン）</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="100"/>
        <source>Tem&amp;perature:</source>
        <translation>温度(&amp;P):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="104"/>
        <source>&amp;Device:</source>
        <translation>デバイス(&amp;D):</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="106"/>
        <source>Convert to &amp;Code Cell</source>
        <translation>コードセルに変換(&amp;C)</translation>
    </message>
    <message>
        <location filename="../ui/taskform.cpp" line="108"/>
        <source>Keep the code and edit it by hand; the form goes away</source>
        <translation>コードを残して手で編集します。フォームは消えます</translation>
    </message>
</context>
<context>
    <name>kiln::TextOutputView</name>
    <message>
        <location filename="../ui/textoutputview.cpp" line="187"/>
        <source>[… 1 line dropped …]</source>
        <translation>[… 1 行を省略 …]</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/textoutputview.cpp" line="188"/>
        <source>[… %n lines dropped …]</source>
        <translation>
            <numerusform>[… %n 行を省略 …]</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/textoutputview.cpp" line="199"/>
        <source>Show the last %1 of %2 lines</source>
        <translation>%2 行のうち最後の %1 行を表示</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/textoutputview.cpp" line="200"/>
        <source>Show all (%n lines)</source>
        <translation>
            <numerusform>すべて表示 (%n 行)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/textoutputview.cpp" line="197"/>
        <source>Show less</source>
        <translation>折りたたむ</translation>
    </message>
</context>
<context>
    <name>kiln::TrainingPanel</name>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="124"/>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="132"/>
        <source>Choose a CSV file</source>
        <translation>CSV ファイルを選択</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="132"/>
        <source>CSV (*.csv *.tsv *.txt)</source>
        <translation>CSV (*.csv *.tsv *.txt)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="167"/>
        <source>Target column</source>
        <translation>目的変数の列</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="257"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="263"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Epochs</source>
        <translation>エポック数</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="261"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Learning rate</source>
        <translation>学習率</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="262"/>
        <source>Batch size</source>
        <translation>バッチサイズ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="171"/>
        <source>Validation split</source>
        <translation>検証データの割合</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="267"/>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="243"/>
        <source>Constant</source>
        <translation>一定</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="116"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="122"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="123"/>
        <source>Image folder…</source>
        <translation>画像フォルダ…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="125"/>
        <source>A table with one row per sample and a column to predict</source>
        <translation>1 行 1 サンプルで、予測する列を含む表</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="126"/>
        <source>A folder with one subfolder of images per class</source>
        <translation>クラスごとに画像のサブフォルダがあるフォルダ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="137"/>
        <source>Choose a folder of class subfolders</source>
        <translation>クラスごとのサブフォルダがあるフォルダを選択</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="150"/>
        <source>Detect from the target</source>
        <translation>目的変数から判定</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="151"/>
        <source>Classification</source>
        <translation>分類</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="152"/>
        <source>Regression</source>
        <translation>回帰</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="156"/>
        <source>Standardize features</source>
        <translation>特徴量を標準化</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="166"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="168"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Task</source>
        <translation>タスク</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="169"/>
        <source>Features</source>
        <translation>特徴量</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="172"/>
        <source>Image size</source>
        <translation>画像サイズ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="191"/>
        <source>Model and settings</source>
        <translation>モデルと設定</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="200"/>
        <source>Choose a TorchScript model</source>
        <translation>TorchScript モデルを選択</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="200"/>
        <source>TorchScript (*.pt *.pth)</source>
        <translation>TorchScript (*.pt *.pth)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="218"/>
        <source>From the task</source>
        <translation>タスクに合わせる</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="219"/>
        <source>Cross entropy</source>
        <translation>交差エントロピー</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="220"/>
        <source>Cross entropy, label smoothing 0.1</source>
        <translation>交差エントロピー、ラベル平滑化 0.1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="221"/>
        <source>Mean squared error</source>
        <translation>平均二乗誤差</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="222"/>
        <source>Mean absolute error (L1)</source>
        <translation>平均絶対誤差 (L1)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="223"/>
        <source>Huber</source>
        <translation>Huber</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="244"/>
        <source>Cosine</source>
        <translation>コサイン</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="251"/>
        <source>off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="259"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Loss</source>
        <translation>損失関数</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="260"/>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Optimizer</source>
        <translation>オプティマイザ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="265"/>
        <source>Weight decay</source>
        <translation>重み減衰</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="264"/>
        <source>Schedule</source>
        <translation>学習率スケジュール</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="266"/>
        <source>Early stopping (epochs)</source>
        <translation>早期終了 (エポック)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="279"/>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="281"/>
        <location filename="../ui/trainingpanelruns.cpp" line="194"/>
        <location filename="../ui/trainingpanelruns.cpp" line="210"/>
        <location filename="../ui/trainingpanelruns.cpp" line="344"/>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="283"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="352"/>
        <source>Save model…</source>
        <translation>モデルを保存…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="353"/>
        <source>Send to inference</source>
        <translation>推論に送る</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="356"/>
        <source>Copy as notebook code</source>
        <translation>コードとしてコピー</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="371"/>
        <source>Save the model</source>
        <translation>モデルを保存</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="372"/>
        <source>TorchScript (*.pt)</source>
        <translation>TorchScript (*.pt)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="380"/>
        <location filename="../ui/trainingpanel.cpp" line="395"/>
        <source>Cannot write %1</source>
        <translation>%1 に書き込めません</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="393"/>
        <source>Export runs</source>
        <translation>実行結果をエクスポート</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="393"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="202"/>
        <source>Model: %1</source>
        <translation>モデル: %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="203"/>
        <source>%1 does not fit this dataset; the panel trains %2</source>
        <translation>%1 はこのデータに合わないため、%2 で学習します</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="87"/>
        <location filename="../ui/trainingpanelruns.cpp" line="152"/>
        <source>Reading the data…</source>
        <translation>データを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="309"/>
        <location filename="../ui/trainingpanelruns.cpp" line="310"/>
        <source>epoch</source>
        <translation>エポック</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="308"/>
        <source>Training loss per step</source>
        <translation>ステップごとの学習損失</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="212"/>
        <source>A notebook or TorchScript model gets the features as they are</source>
        <translation>ノートブックのモデルと TorchScript モデルには特徴量がそのまま渡されます</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="258"/>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="284"/>
        <source>Ends the run and keeps the best epoch so far</source>
        <translation>実行を終了し、これまでで最良のエポックを残します</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="311"/>
        <source>Loss per step</source>
        <translation>ステップごとの損失</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="312"/>
        <source>Loss per epoch</source>
        <translation>エポックごとの損失</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="313"/>
        <source>Metrics per epoch</source>
        <translation>エポックごとの指標</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="314"/>
        <source>Confusion matrix</source>
        <translation>混同行列</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="322"/>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Batch</source>
        <translation>バッチ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="323"/>
        <source>Best epoch</source>
        <translation>最良のエポック</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Best metric</source>
        <translation>最良の指標</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Started</source>
        <translation>開始日時</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="324"/>
        <source>Versions</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="330"/>
        <source>Tick a run to draw its curves beside the current one</source>
        <translation>実行にチェックを入れると、その曲線を現在の実行の曲線と並べて描画します</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="354"/>
        <source>Export run…</source>
        <translation>実行結果をエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="355"/>
        <source>Export all runs…</source>
        <translation>全実行をエクスポート…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanel.cpp" line="382"/>
        <source>Saved %1 and %2</source>
        <translation>%1 と %2 を保存しました</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="67"/>
        <source>Drop a CSV file or a folder of class subfolders here, or train on Fashion-MNIST.</source>
        <translation>CSV ファイルまたはクラスごとのサブフォルダがあるフォルダをここにドロップするか、Fashion-MNIST で学習してください。</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="70"/>
        <source>Fashion-MNIST: 60,000 training images of 10 classes; the 10,000 test images validate.</source>
        <translation>Fashion-MNIST: 10 クラスの学習用画像 60,000 枚。検証にはテスト画像 10,000 枚を使います。</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="75"/>
        <source>Images in %1, one subfolder per class</source>
        <translation>%1 内の画像 (クラスごとに 1 つのサブフォルダ)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="125"/>
        <source>%1 (text)</source>
        <translation>%1 (テキスト)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="141"/>
        <source>%n rows</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="142"/>
        <source>%n columns</source>
        <translation>
            <numerusform>%n 列</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="143"/>
        <source>%n images</source>
        <translation>
            <numerusform>画像 %n 枚</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="145"/>
        <source>classification</source>
        <translation>分類</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="145"/>
        <source>regression</source>
        <translation>回帰</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/trainingpaneldata.cpp" line="163"/>
        <source>… and %n more classes</source>
        <translation>
            <numerusform>… ほかに %n 個のクラス</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="187"/>
        <source>%1 (notebook)</source>
        <translation>%1 (ノートブック)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="188"/>
        <source>TorchScript file…</source>
        <translation>TorchScript ファイル…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="217"/>
        <source>Not loaded: %1</source>
        <translation>読み込みませんでした: %1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="220"/>
        <source>Reading %1 in a separate process first...</source>
        <translation>まず別プロセスで %1 を読み取っています...</translation>
    </message>
    <message>
        <location filename="../ui/trainingpaneldata.cpp" line="227"/>
        <source>Training the parameters of %1</source>
        <translation>%1 のパラメータを学習します</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="97"/>
        <source>Starting once the data is read…</source>
        <translation>データの読み込みが終わり次第開始します…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="104"/>
        <source>Tracing %1 from the notebook…</source>
        <translation>ノートブックの %1 をトレースしています…</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="110"/>
        <source>Choose a TorchScript file to train.</source>
        <translation>学習する TorchScript ファイルを選択してください。</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="123"/>
        <source>Cannot use the notebook&apos;s %1: %2</source>
        <translation>ノートブックの %1 を使えません: %2</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="151"/>
        <source>reading the data</source>
        <translation>データを読み込み中</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="183"/>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="184"/>
        <source>Paused at step %1; Resume goes on exactly where it stopped.</source>
        <translation>ステップ %1 で一時停止しました。[再開] で停止した位置からそのまま続けます。</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="185"/>
        <source>paused · %p%</source>
        <translation>一時停止中 · %p%</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="195"/>
        <source>Resumed at step %1</source>
        <translation>ステップ %1 から再開しました</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="225"/>
        <source>%p%</source>
        <translation>%p%</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="226"/>
        <source>Training %1 on %2 samples (%3 for validation)</source>
        <translation>%1 を %2 サンプルで学習中 (検証用 %3 サンプル)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="266"/>
        <source>%p% · %1 samples/s · %2 left</source>
        <translation>%p% · %1 サンプル/秒 · 残り %2</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="308"/>
        <source>step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="309"/>
        <source>Training and validation loss</source>
        <translation>学習損失と検証損失</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="310"/>
        <source>Accuracy (classification), MAE and R² (regression)</source>
        <translation>正解率 (分類)、MAE と R² (回帰)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="347"/>
        <source>done in %1</source>
        <translation>完了 (%1)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="347"/>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="370"/>
        <source>%1: best epoch %2 (%3)</source>
        <translation>%1: 最良のエポック %2 (%3)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="371"/>
        <source>Stopped; kept the best epoch so far. %1</source>
        <translation>停止しました。これまでで最良のエポックを残しました。%1</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="482"/>
        <source>At least %1 rows are needed to train and validate</source>
        <translation>学習と検証には少なくとも %1 行が必要です</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="246"/>
        <source>epoch %1 of %2: %3</source>
        <translation>エポック %1/%2: %3</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="328"/>
        <source>Confusion matrix (rows: true class, columns: predicted)</source>
        <translation>混同行列 (行: 正解クラス、列: 予測)</translation>
    </message>
    <message>
        <location filename="../ui/trainingpanelruns.cpp" line="141"/>
        <source>run %1</source>
        <translation>実行 %1</translation>
    </message>
</context>
<context>
    <name>kiln::VariablesView</name>
    <message>
        <location filename="../ui/variablesview.cpp" line="68"/>
        <source>Filter by name or type</source>
        <translation>名前または型で絞り込み</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Type</source>
        <translation>型</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Device</source>
        <translation>デバイス</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="82"/>
        <source>Memory</source>
        <translation>メモリ</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="104"/>
        <source>Grid</source>
        <translation>表</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="105"/>
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="106"/>
        <source>Histogram</source>
        <translation>ヒストグラム</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="283"/>
        <source>Select a variable to see it here.</source>
        <translation>変数を選ぶとここに表示されます。</translation>
    </message>
    <message>
        <location filename="../ui/variablesview.cpp" line="312"/>
        <source>The notebook&apos;s globals appear here after a cell runs. Locals and names starting with &quot;_&quot; are not listed.</source>
        <translation>セルを実行すると、ノートブックのグローバル変数がここに表示されます。ローカル変数と「_」で始まる名前は表示されません。</translation>
    </message>
</context>
<context>
    <name>kiln::WelcomePage</name>
    <message>
        <location filename="../ui/welcomepage.cpp" line="42"/>
        <source>A tour of Kiln</source>
        <translation>Kiln のツアー</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="43"/>
        <source>Tensors, a live plot and a short training run, cell by cell</source>
        <translation>テンソル、ライブプロット、短い学習をセルごとに</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="44"/>
        <source>Fashion-MNIST with a multilayer perceptron</source>
        <translation>多層パーセプトロンで Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="45"/>
        <source>Load the dataset, train a small network, plot its loss and accuracy</source>
        <translation>データセットを読み込み、小さなネットワークを学習し、損失と精度をプロット</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="46"/>
        <source>Fashion-MNIST with a convolutional network</source>
        <translation>畳み込みネットワークで Fashion-MNIST</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="47"/>
        <source>A CNN on the same images, saved for the inference panel</source>
        <translation>同じ画像で CNN を学習し、推論パネル用に保存</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="48"/>
        <source>Semantic search with a pretrained model</source>
        <translation>学習済みモデルによる意味検索</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="49"/>
        <source>all-MiniLM-L6-v2 from the Hugging Face Hub: sentences to vectors, then search by meaning</source>
        <translation>Hugging Face Hub の all-MiniLM-L6-v2: 文をベクトルにし、意味で検索</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="70"/>
        <source>Welcome to Kiln</source>
        <translation>Kiln へようこそ</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="71"/>
        <source>Notebooks of Markdown and Lua cells that run PyTorch&apos;s engine on this computer, and panels to inspect, train and run models without code.</source>
        <translation>このコンピューターで PyTorch のエンジンを動かす Markdown と Lua のセルからなるノートブックと、コードなしでモデルを調べ、学習し、実行するパネル。</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="78"/>
        <source>Start</source>
        <translation>はじめる</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="79"/>
        <source>New notebook</source>
        <translation>新しいノートブック</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="79"/>
        <source>An empty notebook with one code cell</source>
        <translation>コードセルが 1 つの空のノートブック</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="83"/>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="83"/>
        <source>A .kiln.md notebook from disk</source>
        <translation>ディスク上の .kiln.md ノートブック</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="88"/>
        <source>Examples</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="97"/>
        <source>Recent</source>
        <translation>最近使ったファイル</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="104"/>
        <source>Panels</source>
        <translation>パネル</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="106"/>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="107"/>
        <source>Find and inspect model files: TorchScript, .pt2, safetensors, state dicts (View &gt; Models)</source>
        <translation>モデルファイルを探して調べる: TorchScript、.pt2、safetensors、state dict (表示 &gt; モデル)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="108"/>
        <source>Training</source>
        <translation>学習</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="109"/>
        <source>Train a model on a CSV, an image folder or Fashion-MNIST, with live loss curves (View &gt; Training)</source>
        <translation>CSV、画像フォルダー、Fashion-MNIST でモデルを学習し、損失曲線をライブ表示 (表示 &gt; 学習)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="110"/>
        <source>Inference</source>
        <translation>推論</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="111"/>
        <source>Run a model over images, CSV rows or tensors and export the predictions (View &gt; Inference)</source>
        <translation>画像、CSV の行、テンソルでモデルを実行し、予測をエクスポート (表示 &gt; 推論)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="112"/>
        <source>Variables</source>
        <translation>変数</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="113"/>
        <source>The notebook&apos;s tensors, models and values: shapes, memory, and tensors as grids, images or histograms (View &gt; Variables)</source>
        <translation>ノートブックのテンソル、モデル、値: 形状、メモリ、テンソルを表・画像・ヒストグラムで表示 (表示 &gt; 変数)</translation>
    </message>
    <message>
        <location filename="../ui/welcomepage.cpp" line="133"/>
        <source>Notebooks you open appear here.</source>
        <translation>開いたノートブックがここに表示されます。</translation>
    </message>
</context>
</TS>
